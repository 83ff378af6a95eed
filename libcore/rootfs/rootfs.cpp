#include "rootfs/rootfs.hpp"

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstring>

#include "cnt/fd.hpp"
#include "cnt/store.hpp"
#include "cnt/text.hpp"

namespace cnt::rootfs {

std::string host_path(const config::Config& cfg) { return cfg.rootfs.path; }

std::string mount_point(const config::Config& cfg) {
    if (!cfg.rootfs.mount.empty()) return cfg.rootfs.mount;
    return cfg.rootfs.path;
}

namespace {

struct Opts {
    unsigned long flags = 0;
    std::string data;
    bool bind = false, rec = false, ro = false;
    bool create_dir = false, create_file = false, optional = false, relative = false;
    unsigned long propagation = 0;
};

Opts parse_opts(const std::string& s) {
    struct Flag {
        const char* name;
        bool clear;
        unsigned long flag;
    };
    static const Flag table[] = {
        {"defaults", false, 0},        {"rw", true, MS_RDONLY},         {"ro", false, MS_RDONLY},
        {"suid", true, MS_NOSUID},     {"nosuid", false, MS_NOSUID},    {"dev", true, MS_NODEV},
        {"nodev", false, MS_NODEV},    {"exec", true, MS_NOEXEC},       {"noexec", false, MS_NOEXEC},
        {"sync", false, MS_SYNCHRONOUS}, {"async", true, MS_SYNCHRONOUS}, {"dirsync", false, MS_DIRSYNC},
        {"remount", false, MS_REMOUNT}, {"mand", false, MS_MANDLOCK},   {"nomand", true, MS_MANDLOCK},
        {"atime", true, MS_NOATIME},   {"noatime", false, MS_NOATIME},  {"diratime", true, MS_NODIRATIME},
        {"nodiratime", false, MS_NODIRATIME}, {"relatime", false, MS_RELATIME},
        {"norelatime", true, MS_RELATIME}, {"strictatime", false, MS_STRICTATIME},
        {"nostrictatime", true, MS_STRICTATIME}, {"silent", false, MS_SILENT},
        {"loud", true, MS_SILENT},     {"lazytime", false, MS_LAZYTIME},
    };
    static const Flag prop[] = {
        {"private", false, MS_PRIVATE}, {"rprivate", false, MS_PRIVATE | MS_REC},
        {"slave", false, MS_SLAVE},     {"rslave", false, MS_SLAVE | MS_REC},
        {"shared", false, MS_SHARED},   {"rshared", false, MS_SHARED | MS_REC},
        {"unbindable", false, MS_UNBINDABLE}, {"runbindable", false, MS_UNBINDABLE | MS_REC},
    };
    Opts o;
    for (auto w : split(s, ",")) {
        if (w == "bind") { o.bind = true; continue; }
        if (w == "rbind") { o.bind = o.rec = true; continue; }
        if (w == "create=dir") { o.create_dir = true; continue; }
        if (w == "create=file") { o.create_file = true; continue; }
        if (w == "optional") { o.optional = true; continue; }
        if (w == "relative") { o.relative = true; continue; }
        bool known = false;
        for (const auto& f : table)
            if (w == f.name) {
                if (f.clear) o.flags &= ~f.flag;
                else o.flags |= f.flag;
                known = true;
            }
        for (const auto& f : prop)
            if (w == f.name) {
                o.propagation |= f.flag;
                known = true;
            }
        if (!known) {
            if (!o.data.empty()) o.data += ',';
            o.data += w;
        }
    }
    o.ro = o.flags & MS_RDONLY;
    return o;
}

Result<void> mkdir_p(const std::string& path, mode_t mode = 0755) { return store::mkdirs(path, mode); }

std::string parent_of(const std::string& p) {
    auto i = p.rfind('/');
    return i == std::string::npos || i == 0 ? "/" : p.substr(0, i);
}

// The target of an entry: an absolute path is taken inside the rootfs (as LXC does); a relative
// one is below the rootfs. Symlinks are not followed out of the rootfs: we refuse ".." parts.
Result<std::string> target_in(const std::string& root, std::string t) {
    while (!t.empty() && t[0] == '/') t.erase(0, 1);
    if (t == ".." || t.rfind("../", 0) == 0 || t.find("/../") != std::string::npos ||
        (t.size() >= 3 && t.compare(t.size() - 3, 3, "/..") == 0))
        return error(cat("mount target \"", t, "\" leaves the rootfs"));
    if (root.empty() || root == "/") return "/" + t;
    return root + "/" + t;
}

Result<void> mount_one(const std::string& root, const config::MountFields& f) {
    Opts o = parse_opts(f.options);
    CNT_ASSIGN(target, target_in(root, f.target));
    std::string source = f.source;
    if (o.relative && !source.empty() && source[0] != '/') source = root + "/" + source;
    else if (o.relative) source = root + source;
    auto fail = [&](const char* what) -> Result<void> {
        int e = errno;
        if (o.optional) return {};
        return errno_error(e, cat(what, " \"", f.source, "\" on \"", target, "\""));
    };
    if (o.create_dir) CNT_TRY(mkdir_p(target));
    if (o.create_file) {
        CNT_TRY(mkdir_p(parent_of(target)));
        unique_fd fd(::open(target.c_str(), O_CREAT | O_WRONLY | O_CLOEXEC | O_NOFOLLOW, 0644));
        if (!fd && errno != EEXIST && !o.optional) return sys_error(cat("creating \"", target, "\""));
    }
    unsigned long flags = o.flags & ~MS_REMOUNT;
    if (o.bind) {
        if (::mount(source.c_str(), target.c_str(), nullptr, MS_BIND | (o.rec ? MS_REC : 0), nullptr) != 0)
            return fail("bind-mounting");
        // A bind mount ignores every other flag: read-only etc. need a remount of the bind.
        if (flags & ~(MS_SILENT)) {
            if (::mount(nullptr, target.c_str(), nullptr, MS_REMOUNT | MS_BIND | flags, nullptr) != 0)
                return fail("remounting");
        }
    } else if (o.flags & MS_REMOUNT) {
        if (::mount(source.c_str(), target.c_str(), f.fstype.c_str(), MS_REMOUNT | flags,
                    o.data.empty() ? nullptr : o.data.c_str()) != 0)
            return fail("remounting");
    } else {
        if (::mount(source.c_str(), target.c_str(), f.fstype.c_str(), flags,
                    o.data.empty() ? nullptr : o.data.c_str()) != 0)
            return fail("mounting");
    }
    if (o.propagation && ::mount(nullptr, target.c_str(), nullptr, o.propagation, nullptr) != 0)
        return fail("changing propagation of");
    return {};
}

Result<void> mnt(const char* src, const std::string& dst, const char* type, unsigned long flags,
                 const char* data = nullptr) {
    CNT_TRY(mkdir_p(dst));
    if (::mount(src, dst.c_str(), type, flags, data) != 0)
        return sys_error(cat("mounting ", type ? type : src, " on \"", dst, "\""));
    return {};
}

Result<void> bind_ro(const std::string& path) {
    if (::mount(path.c_str(), path.c_str(), nullptr, MS_BIND, nullptr) != 0)
        return sys_error(cat("bind-mounting \"", path, "\""));
    if (::mount(nullptr, path.c_str(), nullptr, MS_REMOUNT | MS_BIND | MS_RDONLY, nullptr) != 0)
        return sys_error(cat("making \"", path, "\" read-only"));
    return {};
}

Result<void> auto_mounts(const config::Config& cfg, const std::string& root,
                        const std::vector<cgroup::Placement>& cgroups, const Gate& cgroups_ready) {
    using A = config::MountAuto;
    const auto& a = cfg.mounts.autos;
    const unsigned long common = MS_NOSUID | MS_NODEV | MS_NOEXEC;
    if (a.proc != A::Proc::none) {
        // Init is already pid 1 of its own pid namespace: this proc shows only the container.
        CNT_TRY(mnt("proc", root + "/proc", "proc", common));
        if (a.proc == A::Proc::mixed) {
            // proc:mixed: /proc/sys and sysrq-trigger read-only (the host's kernel knobs).
            CNT_TRY(bind_ro(root + "/proc/sys"));
            std::string sysrq = root + "/proc/sysrq-trigger";
            if (::access(sysrq.c_str(), F_OK) == 0) CNT_TRY(bind_ro(sysrq));
            CNT_TRY(hide_proc(root + "/proc"));
        }
    }
    if (a.sys != A::Sys::none) {
        unsigned long f = common;
        if (a.sys == A::Sys::ro || a.sys == A::Sys::mixed) f |= MS_RDONLY;
        CNT_TRY(mnt("sysfs", root + "/sys", "sysfs", f));
        if (f & MS_RDONLY) CNT_TRY(hide_sys(root + "/sys"));
    }
    if (a.cgroup == A::Cgroup::none && a.cgroup2 == A::Cgroup2::none) return {};
    CNT_TRY(cgroups_ready());
    return mount_cgroups(cfg, cgroups, root);
}

// A cgroup filesystem shows the tree from its mounter's cgroup namespace root.
bool is_cgroupfs(const config::MountFields& f) { return f.fstype == "cgroup" || f.fstype == "cgroup2"; }

}  // namespace

Result<unique_fd> prepare(const config::Config& cfg) {
    if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0)
        return sys_error("making mounts private");
    std::string src = host_path(cfg);
    if (src.empty()) return unique_fd();
    std::string dst = mount_point(cfg);
    struct stat st {};
    if (::stat(src.c_str(), &st) != 0) return sys_error(cat("rootfs \"", src, "\""));
    if (dst != src) CNT_TRY(mkdir_p(dst));
    if (::mount(src.c_str(), dst.c_str(), nullptr, MS_BIND | MS_REC, nullptr) != 0)
        return sys_error(cat("bind-mounting rootfs \"", src, "\""));
    unique_fd fd(::open(dst.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
    if (!fd) return sys_error(cat("opening the mounted rootfs \"", dst, "\""));
    return fd;
}

Result<void> mount_all(const config::Config& cfg, const std::string& root,
                       const std::vector<cgroup::Placement>& cgroups, const Gate& cgroups_ready) {
    CNT_TRY(auto_mounts(cfg, root, cgroups, cgroups_ready));
    if (!cfg.mounts.fstab.empty()) {
        auto text = store::read_file(cfg.mounts.fstab);
        if (!text)
            return sys_error(cat("opening lxc.mount.fstab \"", cfg.mounts.fstab, "\""), text.error().err);
        std::string_view rest = *text;
        for (int n = 1; !rest.empty(); ++n) {
            auto nl = rest.find('\n');
            std::string line(rest.substr(0, nl));
            rest.remove_prefix(nl == std::string_view::npos ? rest.size() : nl + 1);
            auto p = line.find_first_not_of(" \t");
            if (p == std::string::npos || line[p] == '#') continue;
            auto f = config::split_mount_entry(line);
            if (!f) return std::unexpected(std::move(f.error()).within(cat(cfg.mounts.fstab, ":", n)));
            if (is_cgroupfs(*f)) CNT_TRY(cgroups_ready());
            CNT_TRY(mount_one(root, *f));
        }
    }
    for (const auto& e : cfg.mounts.entries) {
        auto f = config::split_mount_entry(e.line);
        if (!f) return std::unexpected(std::move(f.error()).within(e.where.str()));
        if (is_cgroupfs(*f)) CNT_TRY(cgroups_ready());
        auto r = mount_one(root, *f);
        if (!r) return std::unexpected(std::move(r.error()).within(e.where.str()));
    }
    return {};
}

Result<void> pivot(const std::string& root) {
    unique_fd old(::open("/", O_DIRECTORY | O_PATH | O_CLOEXEC));
    if (::chdir(root.c_str()) != 0) return sys_error(cat("entering rootfs \"", root, "\""));
    // pivot_root(".", "."): the old root ends up stacked under the new one, then detached;
    // no directory for the old root is needed in the container.
    if (::syscall(SYS_pivot_root, ".", ".") != 0) return sys_error("pivot_root");
    if (::umount2(".", MNT_DETACH) != 0) return sys_error("detaching the old root");
    if (::chdir("/") != 0) return sys_error("chdir /");
    return {};
}

}  // namespace cnt::rootfs
