// Backing stores of a container's rootfs (lxc.rootfs.path = [TYPE:]PATH): one small interface,
// one file per backend (dir, overlay, btrfs, loop), picked once from the spec.
#pragma once
#include <cstdint>
#include <string>
#include <string_view>
#include <vector>

#include "cnt/error.hpp"
#include "cnt/fd.hpp"

namespace cnt::bdev {

enum class Kind { dir, overlay, btrfs, loop };

struct Spec {
    Kind kind = Kind::dir;
    std::string path;   // dir, btrfs: the directory; loop: the image file; overlay: lower dir
    std::string upper;  // overlay: the upper dir (its workdir is "olwork" beside it, as LXC's)
    std::string work() const;
    // As lxc.rootfs.path writes it: "dir:/x", "overlay:/lower:/upper", "loop:/file".
    std::string str() const;
};

std::string_view name(Kind k);
// A -B word: dir, overlay (overlayfs), btrfs, loop; lvm, zfs and the rest are errors saying why.
Result<Kind> parse_kind(std::string_view word);
// An lxc.rootfs.path value: "[TYPE:]PATH"; "overlay:LOWER:UPPER" (or "overlayfs:").
Result<Spec> parse(std::string_view value);
// The same from the config's split form (backend, path).
Result<Spec> parse(const std::string& backend, const std::string& path);
// Whether the rootfs is a mount of its own (overlay, loop) rather than a bind of a directory.
bool needs_mount(Kind k);

// What a new store is made with (cnt-create -B, cnt-copy -B): --fssize, --fstype.
struct Params {
    uint64_t fssize = 1ull << 30;  // loop: the image's size in bytes
    std::string fstype = "ext4";   // loop: mkfs.<fstype>
};

// A size as lxc-create's --fssize takes it: bytes, or a number with K, M, G or T (powers of 1024).
Result<uint64_t> parse_size(std::string_view text);

// Make a new, empty store at `s` (its directories and files must not exist).
Result<void> create(const Spec& s, const Params& p);
// The store's root as a detached mount (overlay, loop) or its directory opened (dir, btrfs);
// for a detached mount, closing the descriptor releases it (and a loop device with it).
Result<unique_fd> open_root(const Spec& s);
// The store mounted on `target` in the caller's mount namespace (init's private one at
// start): a bind for dir and btrfs, the filesystem itself for overlay and loop.
Result<void> mount(const Spec& s, const std::string& target);
// Remove the store, only the parts of it that lie in `owner` (the container's directory):
// an overlay clone's lower dir is its source's, an image outside the directory is the admin's.
// Never crosses a mount point (those are appended to `kept`) nor follows a symlink.
Result<void> destroy(const Spec& s, const std::string& owner, std::vector<std::string>& kept);
// A snapshot of `src` made for a new container whose directory is `dir`: btrfs: a subvolume
// snapshot at dir/rootfs; dir and overlay: an overlay with src's tree as its lower layer and
// dir/delta0 as its upper; loop: an overlay on the image's mount is not kept across starts, so
// refused. Returns the new spec.
Result<Spec> snapshot(const Spec& src, const std::string& dir);
// Whether snapshot() of `src` is consistent while the container runs (frozen): btrfs only.
bool snapshots_live(Kind k);
// Bytes used by the store (files' allocated blocks; the image's for loop).
Result<uint64_t> size(const Spec& s);

// Copy the tree below `src` into the empty directory `dst` (both open directories): owners,
// modes, times, xattrs, hard links, devices, FIFOs, symlinks (never followed), sparse files;
// never crosses into another mount below src. Names in `skip` are left out at the top.
// (copy.cpp)
Result<void> copy_tree(int src, int dst, const std::vector<std::string>& skip = {});

}  // namespace cnt::bdev
