// Paths under a container's rootfs, resolved inside it from the rootfs descriptor, never
// through it; and mounts made on the resolved descriptors.
//
// The rootfs belongs to the container's owner: any component may be a symlink planted while
// the container ran. Init acts as host root (or as the container's root with the host's files
// still in reach) before pivot_root, so a path string like root + "/dev/console" handed to
// mkdir, open or mount could land anywhere on the host. Here every lookup is an openat2 from
// the rootfs fd with RESOLVE_IN_ROOT: symlinks are followed as the container sees them
// (Debian's /var/run -> /run works), ".." is clamped at the rootfs root, an absolute link
// starts again at the rootfs root, and /proc magic links are refused.
//
// Missing components are made one at a time on the parent's descriptor (mkdirat, openat with
// O_CREAT|O_EXCL|O_NOFOLLOW). A component that is a symlink to nothing (dangling) is an
// error, not created through: the kernel never makes a directory through a symlink either, and
// making the target would be writing where the container chose. A component that exists but
// is not a directory is an error (ENOTDIR). Both errors name the path as the container sees it.
#pragma once
#include <sys/types.h>

#include <string>
#include <string_view>

#include "cnt/error.hpp"
#include "cnt/fd.hpp"

namespace cnt::rootfs {

// "/proc/self/fd/N": how a descriptor is named to a call that takes only a path (mount(2)).
std::string fd_path(int fd);
// `path` as the container sees it: absolute, for messages ("dev/pts" -> "/dev/pts").
std::string in_root(std::string_view path);

// `path` (absolute or relative: both start at the rootfs root) opened inside `root` with
// `flags` (O_CLOEXEC is added). O_PATH is the usual flag: a mount target, a bind source.
Result<unique_fd> open_in_root(int root, std::string_view path, int flags = 0);

// The directory `path` inside `root`, made with its missing parents (mode 0755); opened O_PATH.
Result<unique_fd> mkdir_in_root(int root, std::string_view path, mode_t mode = 0755);

// The file `path` inside `root`, made empty (mode 0644) with its missing parent directories
// when it does not exist; an existing object of any type is kept. Opened O_PATH.
Result<unique_fd> create_file_in_root(int root, std::string_view path, mode_t mode = 0644);

// ---- mounts on descriptors (the new mount API: nothing is looked up again by path) ----

// Mount attributes (MOUNT_ATTR_*) to set and to clear on a mount.
struct Attrs {
    unsigned set = 0, clear = 0;
    bool empty() const { return !set && !clear; }
};
// MS_RDONLY, MS_NOSUID, ... of mount(2) as mount attributes (the per-mount flags only).
Attrs attrs_of(unsigned long ms_set, unsigned long ms_clear = 0);

// A new filesystem of `type` (fsopen/fsconfig/fsmount), `data` a mount(2)-style comma list of
// its options, `source` its source ("" for none); attached on `target` and returned, so what
// follows (nodes in a fresh /dev, binds into a cgroup tmpfs) works on it and not on what is
// under it. `what` names the step in errors ("mounting proc on \"/proc\"").
Result<unique_fd> new_mount(const char* type, std::string_view source, std::string_view data,
                            unsigned attrs, int target, std::string_view what);

// A bind of `src` (looked up from `src_dir`: AT_FDCWD for a host path, or "" for the
// object `src_dir` itself, already resolved) on `target`: a clone of the tree (open_tree), its
// attributes set before it is attached (mount_setattr, recursive with `rec`), then move_mount.
// Returns the attached mount.
Result<unique_fd> bind(int src_dir, const std::string& src, int target, bool rec, Attrs a,
                       std::string_view what);

// Change the attributes (and `propagation`, MS_PRIVATE etc., 0 for none) of the mount `m`.
Result<void> set_attrs(int m, Attrs a, unsigned long propagation = 0, bool rec = false);

}  // namespace cnt::rootfs
