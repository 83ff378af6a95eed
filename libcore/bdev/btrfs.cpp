// The btrfs backend: the rootfs is a subvolume; clones are snapshots (btrfs ioctls, so
// btrfs-progs is only needed to make the filesystem).
#include <fcntl.h>
#include <linux/btrfs.h>
#include <linux/magic.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/vfs.h>

#include <cstring>

#include "bdev/backends.hpp"
#include "cnt/store.hpp"

namespace cnt::bdev::detail {
namespace {

// The first inode of every subvolume.
constexpr ino_t kSubvolRootIno = 256;

struct Where {
    std::string parent, base;
};
Where split(const std::string& path) {
    auto slash = path.rfind('/');
    return {slash == 0 ? "/" : path.substr(0, slash), path.substr(slash + 1)};
}

Result<void> check_btrfs(int fd, const std::string& path) {
    struct statfs sf {};
    if (::fstatfs(fd, &sf) != 0) return sys_error(cat("statfs \"", path, "\""));
    if (sf.f_type != static_cast<decltype(sf.f_type)>(BTRFS_SUPER_MAGIC))
        return error("\"", path, "\" is not on a btrfs filesystem");
    return {};
}

bool is_subvolume(int fd) {
    struct stat st {};
    struct statfs sf {};
    return ::fstat(fd, &st) == 0 && st.st_ino == kSubvolRootIno && ::fstatfs(fd, &sf) == 0 &&
           sf.f_type == static_cast<decltype(sf.f_type)>(BTRFS_SUPER_MAGIC);
}

Result<void> set_name(char* dst, size_t n, const std::string& name) {
    if (name.empty() || name.size() >= n) return error("subvolume name \"", name, "\" too long");
    std::memcpy(dst, name.c_str(), name.size() + 1);
    return {};
}

Result<void> create_subvol(const Spec& s, const Params&) {
    auto w = split(s.path);
    CNT_ASSIGN(parent, open_dir(w.parent));
    CNT_TRY(check_btrfs(parent.get(), w.parent));
    struct btrfs_ioctl_vol_args args {};
    CNT_TRY(set_name(args.name, sizeof args.name, w.base));
    if (::ioctl(parent.get(), BTRFS_IOC_SUBVOL_CREATE, &args) != 0)
        return sys_error(cat("creating btrfs subvolume \"", s.path, "\""));
    return {};
}

Result<unique_fd> open_subvol(const Spec& s) { return open_dir(s.path); }

// One ioctl deletes the whole subvolume; nested subvolumes make it fail (ENOTEMPTY), and the
// fd walk removes it then (rmdir removes an empty subvolume since Linux 4.18).
Result<void> destroy_subvol(const Spec& s, const std::string& owner,
                            std::vector<std::string>& kept) {
    if (s.path == owner || !under(s.path, owner)) return {};
    auto w = split(s.path);
    unique_fd parent(::open(w.parent.c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    unique_fd fd(parent ? ::openat(parent.get(), w.base.c_str(),
                                   O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
                        : -1);
    if (fd && is_subvolume(fd.get())) {
        struct btrfs_ioctl_vol_args_v2 args {};
        CNT_TRY(set_name(args.name, sizeof args.name, w.base));
        fd.reset();
        if (::ioctl(parent.get(), BTRFS_IOC_SNAP_DESTROY_V2, &args) == 0) return {};
    }
    return remove_owned(s.path, owner, kept);
}

Result<Spec> snapshot_subvol(const Spec& src, const std::string& dir) {
    CNT_ASSIGN(from, open_dir(src.path));
    if (!is_subvolume(from.get()))
        return error("\"", src.path, "\" is not a btrfs subvolume: cannot snapshot it");
    CNT_ASSIGN(into, open_dir(dir));
    struct btrfs_ioctl_vol_args_v2 args {};
    args.fd = from.get();
    CNT_TRY(set_name(args.name, sizeof args.name, "rootfs"));
    if (::ioctl(into.get(), BTRFS_IOC_SNAP_CREATE_V2, &args) != 0)
        return sys_error(
            cat("snapshotting btrfs subvolume \"", src.path, "\" to \"", dir, "/rootfs\""));
    return Spec{Kind::btrfs, dir + "/rootfs", {}};
}

}  // namespace

const Backend kBtrfs{Kind::btrfs, "btrfs",        create_subvol,
                     open_subvol, destroy_subvol, snapshot_subvol};

}  // namespace cnt::bdev::detail
