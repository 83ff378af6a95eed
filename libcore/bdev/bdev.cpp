// lxc.rootfs.path specs and the dispatch to one backend per kind.
#include <dirent.h>
#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cctype>
#include <charconv>

#include "bdev/backends.hpp"
#include "cnt/dir.hpp"
#include "cnt/store.hpp"

namespace cnt::bdev {
namespace detail {

bool under(const std::string& path, const std::string& dir) {
    return !dir.empty() && (path == dir || path.rfind(dir + "/", 0) == 0);
}

Result<unique_fd> open_dir(const std::string& path) {
    unique_fd fd(::open(path.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    if (!fd) return sys_error(cat("opening \"", path, "\""));
    return fd;
}

Result<unique_fd> fs_mount(int fsfd, const std::string& what) {
    if (::fsconfig(fsfd, FSCONFIG_CMD_CREATE, nullptr, nullptr, 0) != 0)
        return sys_error(cat("mounting ", what));
    unique_fd m(::fsmount(fsfd, FSMOUNT_CLOEXEC, 0));
    if (!m) return sys_error(cat("mounting ", what, " (fsmount)"));
    return m;
}

Result<Owned> open_owned(const std::string& path, const std::string& owner) {
    if (path.size() <= owner.size() + 1 || !under(path, owner)) return Owned{};
    std::string rel = path.substr(owner.size() + 1);
    auto slash = rel.rfind('/');
    Owned o;
    o.name = slash == std::string::npos ? rel : rel.substr(slash + 1);
    CNT_ASSIGN(top, open_dir(owner));
    if (slash == std::string::npos) {
        o.parent = std::move(top);
        return o;
    }
    // The config is the container owner's: no symlink, "..", or other mount on the way.
    struct open_how how {};
    how.flags = O_RDONLY | O_DIRECTORY | O_CLOEXEC;
    how.resolve = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS | RESOLVE_NO_MAGICLINKS | RESOLVE_NO_XDEV;
    std::string dir = rel.substr(0, slash);
    int fd = static_cast<int>(::syscall(SYS_openat2, top.get(), dir.c_str(), &how, sizeof how));
    if (fd < 0) {
        // Not ours: a symlink, ".." out of it, or another mount on the way.
        if (errno == ENOENT || errno == ELOOP || errno == EXDEV) return Owned{};
        return sys_error(cat("opening \"", owner, "/", dir, "\" inside \"", owner, "\""));
    }
    o.parent.reset(fd);
    return o;
}

Result<void> remove_owned(const std::string& path, const std::string& owner,
                          std::vector<std::string>& kept) {
    CNT_ASSIGN(o, open_owned(path, owner));
    if (!o.parent) return {};
    return store::remove_tree_at(o.parent.get(), o.name, path, kept);
}

}  // namespace detail

namespace {

using detail::Backend;

const Backend& backend(Kind k) {
    switch (k) {
        case Kind::overlay:
            return detail::kOverlay;
        case Kind::btrfs:
            return detail::kBtrfs;
        case Kind::loop:
            return detail::kLoop;
        case Kind::dir:
            break;
    }
    return detail::kDir;
}

// Backends LXC has and cnt has not, with the reason.
struct Missing {
    std::string_view name, why;
};
constexpr Missing kMissing[] = {
    {"lvm", "this kernel has no device-mapper (CONFIG_BLK_DEV_DM), which LVM needs"},
    {"zfs", "ZFS is not in Debian main (its kernel module is in contrib, built by DKMS)"},
    {"rbd", "Ceph RBD is not supported by cnt"},
    {"nbd", "NBD is not supported by cnt"},
};

std::string normal(std::string_view p) {
    std::string s(p);
    while (s.size() > 1 && s.back() == '/') s.pop_back();
    return s;
}

}  // namespace

std::string Spec::work() const {
    auto slash = upper.rfind('/');
    return (slash == std::string::npos ? std::string(".") : upper.substr(0, slash)) + "/olwork";
}

std::string Spec::str() const {
    std::string s = cat(name(kind), ":", path);
    if (kind == Kind::overlay) s += ":" + upper;
    return s;
}

std::string_view name(Kind k) { return backend(k).name; }

bool needs_mount(Kind k) { return k == Kind::overlay || k == Kind::loop; }

bool snapshots_live(Kind k) { return k == Kind::btrfs; }

Result<Kind> parse_kind(std::string_view w) {
    for (Kind k : {Kind::dir, Kind::overlay, Kind::btrfs, Kind::loop})
        if (w == name(k)) return k;
    if (w == "overlayfs") return Kind::overlay;
    for (const auto& m : kMissing)
        if (w == m.name) return error("backing store \"", w, "\" is not available: ", m.why);
    return error("unknown backing store \"", w, "\" (dir, overlay, btrfs, loop)");
}

Result<Spec> parse(const std::string& backend_name, const std::string& path) {
    Spec s;
    if (!backend_name.empty()) {
        CNT_ASSIGN(k, parse_kind(backend_name));
        s.kind = k;
    }
    if (s.kind != Kind::overlay) {
        s.path = normal(path);
    } else {
        auto colon = path.rfind(':');
        if (colon == std::string::npos)
            return error("rootfs \"", backend_name, ":", path, "\": overlay needs LOWER:UPPER");
        s.path = normal(path.substr(0, colon));
        s.upper = normal(path.substr(colon + 1));
        if (s.upper.empty() || s.upper.front() != '/')
            return error("rootfs \"", backend_name, ":", path, "\": UPPER is not absolute");
    }
    if (s.path.empty() || s.path.front() != '/')
        return error("rootfs \"", s.str(), "\": the path is not absolute");
    return s;
}

Result<Spec> parse(std::string_view value) {
    auto colon = value.find(':');
    if (colon == std::string_view::npos || value.front() == '/')
        return parse(std::string(), std::string(value));
    return parse(std::string(value.substr(0, colon)), std::string(value.substr(colon + 1)));
}

Result<uint64_t> parse_size(std::string_view t) {
    uint64_t n = 0;
    auto r = std::from_chars(t.data(), t.data() + t.size(), n);
    std::string_view unit(r.ptr, static_cast<size_t>(t.data() + t.size() - r.ptr));
    if (r.ec != std::errc{} || unit.size() > 2 ||
        (unit.size() == 2 && unit[1] != 'B' && unit[1] != 'b'))
        return error("size \"", t, "\": not a number with an optional K, M, G or T");
    int shift = 0;
    if (!unit.empty()) {
        auto at = std::string_view("KMGT").find(static_cast<char>(std::toupper(unit[0])));
        if (at == std::string_view::npos)
            return error("size \"", t, "\": unknown unit (K, M, G or T)");
        shift = 10 * (static_cast<int>(at) + 1);
    }
    if (n == 0 || (n << shift) >> shift != n) return error("size \"", t, "\": out of range");
    return n << shift;
}

Result<void> create(const Spec& s, const Params& p) { return backend(s.kind).create(s, p); }

Result<unique_fd> open_root(const Spec& s) { return backend(s.kind).open_root(s); }

Result<void> mount(const Spec& s, const std::string& target) {
    if (!needs_mount(s.kind)) {
        if (::mount(s.path.c_str(), target.c_str(), nullptr, MS_BIND | MS_REC, nullptr) != 0)
            return sys_error(cat("bind-mounting rootfs \"", s.path, "\""));
        return {};
    }
    CNT_ASSIGN(m, open_root(s));
    if (::move_mount(m.get(), "", AT_FDCWD, target.c_str(), MOVE_MOUNT_F_EMPTY_PATH) != 0)
        return sys_error(cat("mounting rootfs \"", s.str(), "\" on \"", target, "\""));
    return {};
}

Result<void> destroy(const Spec& s, const std::string& owner, std::vector<std::string>& kept) {
    return backend(s.kind).destroy(s, normal(owner), kept);
}

Result<Spec> snapshot(const Spec& src, const std::string& dir) {
    return backend(src.kind).snapshot(src, normal(dir));
}

namespace {

// Allocated bytes below an open directory, not crossing into other filesystems.
uint64_t usage(int dfd, dev_t dev) {
    uint64_t total = 0;
    DirReader d = DirReader::at(dfd);
    if (!d) return 0;
    while (const dirent* e = d.next()) {
        struct stat st {};
        if (::fstatat(dfd, e->d_name, &st, AT_SYMLINK_NOFOLLOW) != 0 || st.st_dev != dev) continue;
        total += static_cast<uint64_t>(st.st_blocks) * 512;
        if (!S_ISDIR(st.st_mode)) continue;
        unique_fd sub(::openat(dfd, e->d_name, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
        if (sub) total += usage(sub.get(), dev);
    }
    return total;
}

}  // namespace

Result<uint64_t> size(const Spec& s) {
    struct stat st {};
    if (s.kind == Kind::loop) {
        if (::stat(s.path.c_str(), &st) != 0) return sys_error(cat("stat \"", s.path, "\""));
        return static_cast<uint64_t>(st.st_blocks) * 512;
    }
    const std::string& top = s.kind == Kind::overlay ? s.upper : s.path;
    CNT_ASSIGN(fd, detail::open_dir(top));
    if (::fstat(fd.get(), &st) != 0) return sys_error(cat("stat \"", top, "\""));
    return usage(fd.get(), st.st_dev);
}

}  // namespace cnt::bdev
