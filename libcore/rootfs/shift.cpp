#include "rootfs/shift.hpp"

#include <dirent.h>
#include <fcntl.h>
#include <linux/capability.h>
#include <linux/openat2.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/xattr.h>
#include <unistd.h>

#include <cstring>
#include <map>
#include <utility>

#include "cnt/dir.hpp"
#include "cnt/fd.hpp"
#include "rootfs/resolve.hpp"

namespace cnt::rootfs {

namespace {

const config::IdMap* ns_range(const std::vector<config::IdMap>& maps, char type, unsigned long id) {
    for (const auto& m : maps)
        if (m.type == type && id >= m.nsid && id - m.nsid < m.range) return &m;
    return nullptr;
}

bool in_host_range(const std::vector<config::IdMap>& maps, char type, unsigned long id) {
    for (const auto& m : maps)
        if (m.type == type && id >= m.hostid && id - m.hostid < m.range) return true;
    return false;
}

bool has_type(const std::vector<config::IdMap>& maps, char type) {
    for (const auto& m : maps)
        if (m.type == type) return true;
    return false;
}

}  // namespace

std::optional<unsigned long> shifted_id(const std::vector<config::IdMap>& maps, char type,
                                        unsigned long id) {
    if (!has_type(maps, type)) return id;
    if (const auto* m = ns_range(maps, type, id)) return m->hostid + (id - m->nsid);
    if (in_host_range(maps, type, id)) return id;
    return std::nullopt;
}

bool owned_by_map(const std::vector<config::IdMap>& maps, uid_t uid, gid_t gid) {
    return (!has_type(maps, 'u') || in_host_range(maps, 'u', uid)) &&
           (!has_type(maps, 'g') || in_host_range(maps, 'g', gid));
}

namespace {

// Deeper trees than this are refused rather than walked (one descriptor per level).
constexpr int kMaxDepth = 256;
constexpr unsigned kStatxMask =
    STATX_TYPE | STATX_MODE | STATX_NLINK | STATX_UID | STATX_GID | STATX_INO | STATX_MNT_ID;

constexpr const char* kCapsXattr = "security.capability";

// An inode with more than one link: changed only once every link was seen in the walk.
struct Linked {
    size_t seen = 0;
    unsigned nlink = 0;
    std::string rel;  // the first link met, from the rootfs's top
};

Result<struct statx> statx_fd(int fd, const std::string& shown) {
    struct statx sx {};
    if (::statx(fd, "", AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW, kStatxMask, &sx) != 0)
        return sys_error(cat("shifting \"", shown, "\": stat"));
    return sx;
}

// security.capability of a regular file, read before the chown that clears it, written back
// after as version 3 with the container's root as its root id: a version 2 xattr would grant
// its capabilities only to the host's root, never inside the container.
struct FileCaps {
    unsigned char v[XATTR_CAPS_SZ_3]{};
    bool present = false;
};

FileCaps read_caps(const std::string& proc_path) {
    FileCaps c;
    ssize_t n = ::getxattr(proc_path.c_str(), kCapsXattr, c.v, sizeof c.v);
    c.present = n == XATTR_CAPS_SZ_2 || n == XATTR_CAPS_SZ_3;
    return c;
}

Result<void> write_caps(const std::string& proc_path, FileCaps c, uint32_t rootid,
                        const std::string& shown) {
    uint32_t magic;
    std::memcpy(&magic, c.v, 4);
    magic = (magic & ~VFS_CAP_REVISION_MASK) | VFS_CAP_REVISION_3;
    std::memcpy(c.v, &magic, 4);
    std::memcpy(c.v + XATTR_CAPS_SZ_2, &rootid, 4);
    if (::setxattr(proc_path.c_str(), kCapsXattr, c.v, XATTR_CAPS_SZ_3, 0) != 0)
        return sys_error(cat("shifting \"", shown, "\": restoring its file capabilities"));
    return {};
}

class Shifter {
  public:
    Shifter(const std::string& top, const std::vector<config::IdMap>& maps)
        : top_(top), maps_(maps) {}
    Result<ShiftStats> run();

  private:
    Result<void> walk(int dir, const std::string& rel, int depth);
    Result<void> entry(int dir, const std::string& name, const std::string& rel, int depth);
    Result<void> change(int fd, const struct statx& sx, const std::string& rel);
    Result<void> hard_links();
    std::string shown(const std::string& rel) const { return top_ + rel; }

    const std::string& top_;
    const std::vector<config::IdMap>& maps_;
    unique_fd root_;
    uint64_t mnt_id_ = 0;
    ShiftStats stats_;
    std::map<std::pair<uint64_t, uint64_t>, Linked> linked_;  // (dev, ino)
};

Result<ShiftStats> Shifter::run() {
    root_.reset(::open(top_.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!root_) return sys_error(cat("shifting \"", top_, "\": opening it"));
    CNT_ASSIGN(sx, statx_fd(root_.get(), top_));
    mnt_id_ = sx.stx_mnt_id;
    CNT_TRY(walk(root_.get(), "", 0));
    CNT_TRY(hard_links());
    // Last: a tree whose top is shifted reads as shifted.
    CNT_TRY(change(root_.get(), sx, ""));
    return stats_;
}

// The names first, then each one: one descriptor per level of the tree, not two.
Result<void> Shifter::walk(int dir, const std::string& rel, int depth) {
    if (depth > kMaxDepth)
        return error("shifting \"", shown(rel), "\": deeper than ", kMaxDepth, " directories");
    std::vector<std::string> names;
    int err = 0;
    {
        DirReader d = DirReader::open_at(dir, ".");
        while (const dirent* e = d ? d.next() : nullptr) names.emplace_back(e->d_name);
        err = errno;
    }
    if (err) return sys_error(cat("shifting \"", shown(rel), "\": reading it"), err);
    for (const auto& n : names) CNT_TRY(entry(dir, n, rel + "/" + n, depth));
    return {};
}

Result<void> Shifter::entry(int dir, const std::string& name, const std::string& rel, int depth) {
    unique_fd fd(::openat(dir, name.c_str(), O_PATH | O_NOFOLLOW | O_CLOEXEC));
    if (!fd) return sys_error(cat("shifting \"", shown(rel), "\": opening it"));
    CNT_ASSIGN(sx, statx_fd(fd.get(), shown(rel)));
    if (sx.stx_mnt_id != mnt_id_) {
        // A mount point: another filesystem (or a bind) that is not the rootfs's to change.
        ++stats_.skipped;
        return {};
    }
    if (S_ISDIR(sx.stx_mode)) {
        CNT_TRY(walk(fd.get(), rel, depth + 1));
    } else if (sx.stx_nlink > 1) {
        auto& l = linked_[{makedev(sx.stx_dev_major, sx.stx_dev_minor), sx.stx_ino}];
        if (l.seen++ == 0) l.rel = rel;
        l.nlink = sx.stx_nlink;
        return {};
    }
    return change(fd.get(), sx, rel);
}

Result<void> Shifter::change(int fd, const struct statx& sx, const std::string& rel) {
    auto uid = shifted_id(maps_, 'u', sx.stx_uid);
    auto gid = shifted_id(maps_, 'g', sx.stx_gid);
    if (!uid || !gid)
        return error("shifting \"", shown(rel), "\": its ", !uid ? "uid " : "gid ",
                     !uid ? sx.stx_uid : sx.stx_gid, " is outside lxc.idmap");
    if (*uid == sx.stx_uid && *gid == sx.stx_gid) return {};
    const bool reg = S_ISREG(sx.stx_mode);
    std::string proc = fd_path(fd);
    FileCaps caps;
    if (reg) caps = read_caps(proc);
    if (::fchownat(fd, "", static_cast<uid_t>(*uid), static_cast<gid_t>(*gid),
                   AT_EMPTY_PATH | AT_SYMLINK_NOFOLLOW) != 0)
        return sys_error(cat("shifting \"", shown(rel), "\" to ", *uid, ":", *gid));
    ++stats_.files;
    if (!reg) return {};
    // chown(2) clears setuid and setgid on a file: set them again (through the descriptor).
    if ((sx.stx_mode & (S_ISUID | S_ISGID)) && ::chmod(proc.c_str(), sx.stx_mode & 07777) != 0)
        return sys_error(cat("shifting \"", shown(rel), "\": restoring its mode"));
    if (caps.present) {
        auto root = shifted_id(maps_, 'u', 0);
        CNT_TRY(write_caps(proc, caps, static_cast<uint32_t>(root.value_or(0)), shown(rel)));
    }
    return {};
}

// Every link must have been met: then no name outside the rootfs reaches the inode. Checked
// for all before any is changed.
Result<void> Shifter::hard_links() {
    for (const auto& [key, l] : linked_)
        if (l.seen != l.nlink)
            return error("shifting \"", shown(l.rel), "\": it has ", l.nlink, " hard links, ",
                         l.seen,
                         " of them in the rootfs (a link from outside would hand that "
                         "file to the container)");
    for (const auto& [key, l] : linked_) {
        struct open_how how {};
        how.flags = O_PATH | O_NOFOLLOW | O_CLOEXEC;
        how.resolve =
            RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV;
        unique_fd fd(static_cast<int>(
            ::syscall(SYS_openat2, root_.get(), l.rel.c_str() + 1, &how, sizeof how)));
        if (!fd) return sys_error(cat("shifting \"", shown(l.rel), "\": opening it"));
        CNT_ASSIGN(sx, statx_fd(fd.get(), shown(l.rel)));
        if (makedev(sx.stx_dev_major, sx.stx_dev_minor) != key.first || sx.stx_ino != key.second)
            return error("shifting \"", shown(l.rel), "\": it changed during the shift");
        CNT_TRY(change(fd.get(), sx, l.rel));
    }
    return {};
}

}  // namespace

Result<ShiftStats> shift_tree(const std::string& dir, const std::vector<config::IdMap>& maps) {
    return Shifter(dir, maps).run();
}

}  // namespace cnt::rootfs
