#include "rootfs/resolve.hpp"

#include <fcntl.h>
#include <linux/openat2.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <charconv>

#include "cnt/text.hpp"

namespace cnt::rootfs {

namespace {

// RESOLVE_IN_ROOT: the rootfs fd is "/" for the whole lookup. RESOLVE_NO_MAGICLINKS: a
// /proc/<pid>/fd/N link planted in the rootfs (or reached through its /proc) would jump to
// any open file, the host's root among them.
constexpr unsigned long long kInRoot = RESOLVE_IN_ROOT | RESOLVE_NO_MAGICLINKS;
// One component below a directory we hold: no symlink at all, nothing above it.
constexpr unsigned long long kBelow = RESOLVE_BENEATH | RESOLVE_NO_SYMLINKS;

int openat2_fd(int dir, const char* path, int flags, unsigned long long resolve) {
    struct open_how how {};
    how.flags = static_cast<unsigned long long>(flags | O_CLOEXEC);
    how.resolve = resolve;
    // With RESOLVE_IN_ROOT the kernel answers EAGAIN when a rename raced with a ".." step;
    // the lookup is simply retried.
    for (int tries = 0;; ++tries) {
        int fd = static_cast<int>(::syscall(SYS_openat2, dir, path, &how, sizeof how));
        if (fd >= 0 || errno != EAGAIN || tries >= 8) return fd;
    }
}

// A name that resolves to nothing although it exists: a symlink to a missing target.
Result<void> refuse_dangling(int parent, const std::string& name, const std::string& what,
                             const std::string& at) {
    struct stat st {};
    if (::fstatat(parent, name.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0 && S_ISLNK(st.st_mode))
        return errno_error(ENOENT, cat(what, " in the rootfs: \"", at, "\" is a dangling symlink"));
    return {};
}

// One more component of a walk: `prefix` (ending in `name`, below `parent`) opened as a
// directory from the root, made in `parent` first when it does not exist.
Result<unique_fd> step_dir(int root, int parent, const std::string& prefix, const std::string& name,
                           mode_t mode, const std::string& what) {
    for (int tries = 0; tries < 4; ++tries) {
        unique_fd fd(openat2_fd(root, prefix.c_str(), O_PATH | O_DIRECTORY, kInRoot));
        if (fd) return fd;
        if (errno != ENOENT) return sys_error(cat(what, " in the rootfs: at \"", prefix, "\""));
        CNT_TRY(refuse_dangling(parent, name, what, prefix));
        if (::mkdirat(parent, name.c_str(), mode) != 0 && errno != EEXIST)
            return sys_error(cat(what, " in the rootfs: making \"", prefix, "\""));
    }
    return errno_error(EAGAIN, cat(what, " in the rootfs: \"", prefix, "\" keeps changing"));
}

Result<unique_fd> mkdir_walk(int root, const std::string& path, mode_t mode,
                             const std::string& what) {
    unique_fd cur(openat2_fd(root, "/", O_PATH | O_DIRECTORY, kInRoot));
    if (!cur) return sys_error(cat(what, ": opening the rootfs"));
    std::string prefix;
    for (auto part : split(path, "/")) {
        if (part.empty() || part == ".") continue;
        std::string name(part);
        prefix += "/" + name;
        CNT_ASSIGN(next, step_dir(root, cur.get(), prefix, name, mode, what));
        cur = std::move(next);
    }
    return cur;
}

}  // namespace

std::string fd_path(int fd) {
    // Not cat(): g++ 12 warns (-Wrestrict, a false positive) on its inlined append here.
    char buf[32] = "/proc/self/fd/";
    auto r = std::to_chars(buf + 14, buf + sizeof buf, fd);
    return std::string(buf, r.ptr);
}

// Also what openat2 is given: with RESOLVE_IN_ROOT an absolute path starts at the rootfs root.
std::string in_root(std::string_view path) {
    while (!path.empty() && path.front() == '/') path.remove_prefix(1);
    return cat("/", path);
}

Result<unique_fd> open_in_root(int root, std::string_view path, int flags) {
    std::string p = in_root(path);
    unique_fd fd(openat2_fd(root, p.c_str(), flags, kInRoot));
    if (!fd) return sys_error(cat("opening \"", p, "\" in the rootfs"));
    return fd;
}

Result<unique_fd> mkdir_in_root(int root, std::string_view path, mode_t mode) {
    std::string p = in_root(path);
    // The usual case: it exists.
    unique_fd fd(openat2_fd(root, p.c_str(), O_PATH | O_DIRECTORY, kInRoot));
    if (fd) return fd;
    std::string what = cat("creating directory \"", p, "\"");
    if (errno != ENOENT) return sys_error(cat(what, " in the rootfs"));
    return mkdir_walk(root, p, mode, what);
}

Result<unique_fd> create_file_in_root(int root, std::string_view path, mode_t mode) {
    std::string p = in_root(path);
    std::string what = cat("creating file \"", p, "\"");
    auto slash = p.rfind('/');
    std::string name = p.substr(slash + 1);
    if (name.empty() || name == "." || name == "..")
        return errno_error(EISDIR, cat(what, " in the rootfs"));
    for (int tries = 0; tries < 4; ++tries) {
        unique_fd fd(openat2_fd(root, p.c_str(), O_PATH, kInRoot));
        if (fd) return fd;
        if (errno != ENOENT) return sys_error(cat(what, " in the rootfs"));
        CNT_ASSIGN(dir, slash == 0 ? mkdir_walk(root, "/", 0755, what)
                                   : mkdir_walk(root, p.substr(0, slash), 0755, what));
        CNT_TRY(refuse_dangling(dir.get(), name, what, p));
        unique_fd made(::openat(dir.get(), name.c_str(),
                                O_CREAT | O_EXCL | O_NOFOLLOW | O_WRONLY | O_CLOEXEC, mode));
        if (!made && errno != EEXIST) return sys_error(cat(what, " in the rootfs"));
        if (!made) continue;  // made meanwhile: resolve it again
        unique_fd got(openat2_fd(dir.get(), name.c_str(), O_PATH, kBelow));
        if (!got) return sys_error(cat(what, " in the rootfs: reopening it"));
        return got;
    }
    return errno_error(EAGAIN, cat(what, " in the rootfs: it keeps changing"));
}

// ---- mounts ----

Attrs attrs_of(unsigned long ms_set, unsigned long ms_clear) {
    struct Pair {
        unsigned long ms;
        unsigned attr;
    };
    static constexpr Pair kPlain[] = {{MS_RDONLY, MOUNT_ATTR_RDONLY},
                                      {MS_NOSUID, MOUNT_ATTR_NOSUID},
                                      {MS_NODEV, MOUNT_ATTR_NODEV},
                                      {MS_NOEXEC, MOUNT_ATTR_NOEXEC},
                                      {MS_NODIRATIME, MOUNT_ATTR_NODIRATIME}};
    Attrs a;
    for (const auto& p : kPlain) {
        if (ms_set & p.ms)
            a.set |= p.attr;
        else if (ms_clear & p.ms)
            a.clear |= p.attr;
    }
    // The atime modes are one field: clearing it and setting one value is the kernel's rule.
    if (ms_set & MS_NOATIME)
        a.set |= MOUNT_ATTR_NOATIME;
    else if (ms_set & MS_STRICTATIME)
        a.set |= MOUNT_ATTR_STRICTATIME;
    else if (!(ms_set & MS_RELATIME) && !(ms_clear & (MS_NOATIME | MS_STRICTATIME)))
        return a;
    a.clear |= MOUNT_ATTR__ATIME;
    return a;
}

Result<unique_fd> new_mount(const char* type, std::string_view source, std::string_view data,
                            unsigned attrs, int target, std::string_view what) {
    unique_fd fs(::fsopen(type, FSOPEN_CLOEXEC));
    if (!fs) return sys_error(std::string(what));
    if (!source.empty() &&
        ::fsconfig(fs.get(), FSCONFIG_SET_STRING, "source", std::string(source).c_str(), 0) != 0)
        return sys_error(cat(what, ": source \"", source, "\""));
    for (auto opt : split(data, ",")) {
        if (opt.empty()) continue;
        std::string o(opt);
        auto eq = o.find('=');
        int r = eq == std::string::npos
                    ? ::fsconfig(fs.get(), FSCONFIG_SET_FLAG, o.c_str(), nullptr, 0)
                    : ::fsconfig(fs.get(), FSCONFIG_SET_STRING, o.substr(0, eq).c_str(),
                                 o.c_str() + eq + 1, 0);
        if (r != 0) return sys_error(cat(what, ": option \"", o, "\""));
    }
    if (::fsconfig(fs.get(), FSCONFIG_CMD_CREATE, nullptr, nullptr, 0) != 0)
        return sys_error(std::string(what));
    unique_fd m(::fsmount(fs.get(), FSMOUNT_CLOEXEC, attrs));
    if (!m) return sys_error(std::string(what));
    if (::move_mount(m.get(), "", target, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) !=
        0)
        return sys_error(cat(what, ": attaching it"));
    return m;
}

Result<void> set_attrs(int m, Attrs a, unsigned long propagation, bool rec) {
    struct mount_attr attr {};
    attr.attr_set = a.set;
    attr.attr_clr = a.clear;
    attr.propagation = propagation & ~static_cast<unsigned long>(MS_REC);
    unsigned flags = AT_EMPTY_PATH | (rec || (propagation & MS_REC) ? AT_RECURSIVE : 0);
    if (::mount_setattr(m, "", flags, &attr, sizeof attr) != 0)
        return sys_error(propagation ? "changing the propagation" : "setting mount flags");
    return {};
}

Result<unique_fd> bind(int src_dir, const std::string& src, int target, bool rec, Attrs a,
                       std::string_view what) {
    unsigned flags = OPEN_TREE_CLONE | OPEN_TREE_CLOEXEC | (rec ? AT_RECURSIVE : 0);
    if (src.empty()) flags |= AT_EMPTY_PATH;
    unique_fd tree(::open_tree(src_dir, src.c_str(), flags));
    if (!tree) return sys_error(std::string(what));
    // Flags set on the detached clone: the bind is never visible without them (a bind takes
    // no flags of its own in mount(2), only from a second, remounting call).
    if (!a.empty()) {
        auto r = set_attrs(tree.get(), a, 0, rec);
        if (!r) return sys_error(cat(what, ": setting its flags"), r.error().err);
    }
    if (::move_mount(tree.get(), "", target, "",
                     MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) != 0)
        return sys_error(cat(what, ": attaching it"));
    return tree;
}

}  // namespace cnt::rootfs
