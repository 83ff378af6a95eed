// The container's filesystem view, built by init in its own mount namespace before pivot_root.
#pragma once
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "cnt/bdev.hpp"
#include "cnt/cgroup.hpp"
#include "cnt/config.hpp"
#include "cnt/error.hpp"
#include "cnt/fd.hpp"

namespace cnt::rootfs {

// The host directory the rootfs is reached through ("" = no rootfs: share the host's).
std::string host_path(const config::Config& cfg);
// Where init mounts the rootfs before pivoting (lxc.rootfs.mount, else the rootfs itself).
std::string mount_point(const config::Config& cfg);

// The backing store of lxc.rootfs.path (cnt/bdev.hpp), parsed once per start and handed to
// open_store() and prepare(); none: no rootfs (init shares the host's).
using Store = std::optional<bdev::Spec>;
Result<Store> parse_store(const config::Config& cfg);
// parse_store(); a store that is a mount of its own (overlay, loop) is mounted on
// lxc.rootfs.mount, by default <dir>/rootfs (`dir`: the container's directory), which this
// sets.
Result<Store> resolve_store(config::Config& cfg, const std::string& dir);

// lxc.rootfs.options, read once per start: the per-mount flags (MS_*, ro aside) prepare()
// and attach_idmapped() set on the rootfs, and whether seal() makes it read-only.
struct RootOptions {
    unsigned long set = 0, cleared = 0;
    bool ro = false;
};
RootOptions root_options(const config::Config& cfg);

// Make every mount private (so nothing propagates back to the host) and bind the rootfs on
// its mount point; returns that mount, opened (O_PATH), or an empty descriptor when there is
// no rootfs. Called while init is still host root to the kernel's permission checks: in a
// user namespace the directories leading to the rootfs may not be searchable by the
// container's root, so everything after it reaches the rootfs through the descriptor, and
// every path below it is resolved inside it (rootfs/resolve.hpp). lxc.rootfs.options'
// per-mount flags (nosuid, nodev, noexec, ...) are set on the bind here; ro waits for seal().
// store_root: the rootfs as a detached mount (open_store's), attached on the mount point.
Result<unique_fd> prepare(const config::Config& cfg, const Store& store, const RootOptions& ro,
                          int store_root = -1);
// A rootfs that is a mount of its own (overlay, loop), made as a detached mount by the
// monitor; none (an empty descriptor) for a directory.
Result<unique_fd> open_store(const Store& store);
// The idmapped rootfs mount `m` the monitor made (rootfs/idmapped.hpp) stacked on the rootfs
// bind `root` (prepare's), with lxc.rootfs.options' per-mount flags; returns it: the new root.
Result<unique_fd> attach_idmapped(const config::Config& cfg, const RootOptions& ro, int root,
                                  unique_fd m);
// Called before the first mount that needs init in its cgroups and cgroup namespace.
using Gate = std::function<Result<void>()>;
// lxc.mount.auto (proc, sys, cgroup), lxc.mount.fstab, lxc.mount.entry below `root` (the
// rootfs descriptor, or "/" opened when there is no rootfs). `cgroups`: where the
// container's cgroups are (for the cgroup forms of lxc.mount.auto); `cgroups_ready` runs
// before any cgroup filesystem is mounted (auto or entry). An error names the config line
// (or fstab line) and the path inside the rootfs.
Result<void> mount_all(const config::Config& cfg, int root,
                       const std::vector<cgroup::Placement>& cgroups, const Gate& cgroups_ready);
// lxc.mount.auto cgroup / cgroup-full / cgroup2 forms on <root>/sys/fs/cgroup. On a v1 or
// hybrid host: a tmpfs with one bind mount per hierarchy ("unified" for cgroup2): the
// container's inner cgroup (never the one holding its limits), or the host's whole hierarchy
// for cgroup-full; read-only as the form says (:mixed = everything read-only but the
// container's inner cgroup). On a pure v2 host: cgroup2 itself, which init's cgroup
// namespace roots at the container's inner cgroup.
Result<void> mount_cgroups(const config::Config& cfg, const std::vector<cgroup::Placement>& cgroups,
                           int root);
// proc:mixed and sys:ro/mixed: OCI's masked and read-only paths below a procfs / sysfs just
// mounted (`proc`, `sys`: the new mounts' descriptors, so nothing is looked up in the rootfs)
// (masks.cpp).
Result<void> hide_proc(int proc);
Result<void> hide_sys(int sys);
// lxc.rootfs.options = ro: the rootfs bind made read-only, the last step before pivot_root
// (LXC makes it read-only when it mounts it; then nothing can be created on it).
Result<void> seal(const RootOptions& ro, int root);
// Switch to `root` (the rootfs bind's descriptor): pivot_root, then detach the old root.
Result<void> pivot(int root);

}  // namespace cnt::rootfs
