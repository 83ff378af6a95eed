#include "rootfs/rootfs.hpp"

#include <fcntl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include "cnt/bdev.hpp"
#include "cnt/fd.hpp"
#include "cnt/store.hpp"
#include "cnt/text.hpp"
#include "rootfs/resolve.hpp"

namespace cnt::rootfs {

std::string host_path(const config::Config& cfg) { return cfg.rootfs.path; }

std::string mount_point(const config::Config& cfg) {
    if (!cfg.rootfs.mount.empty()) return cfg.rootfs.mount;
    return cfg.rootfs.path;
}

Result<Store> parse_store(const config::Config& cfg) {
    if (cfg.rootfs.path.empty()) return Store();
    return bdev::parse(cfg.rootfs.backend, cfg.rootfs.path);
}

Result<Store> resolve_store(config::Config& cfg, const std::string& dir) {
    CNT_ASSIGN(store, parse_store(cfg));
    if (store && bdev::needs_mount(store->kind) && cfg.rootfs.mount.empty())
        cfg.rootfs.mount = dir + "/rootfs";
    return store;
}

namespace {

struct Opts {
    unsigned long flags = 0;
    unsigned long cleared = 0;  // flags an option turned off ("rw", "suid"...), last word wins
    std::string data;
    bool bind = false, rec = false, ro = false;
    bool create_dir = false, create_file = false, optional = false, relative = false;
    unsigned long propagation = 0;
};

struct Flag {
    const char* name;
    bool clear;
    unsigned long flag;
};
constexpr Flag kMountFlags[] = {
    {"defaults", false, 0},
    {"rw", true, MS_RDONLY},
    {"ro", false, MS_RDONLY},
    {"suid", true, MS_NOSUID},
    {"nosuid", false, MS_NOSUID},
    {"dev", true, MS_NODEV},
    {"nodev", false, MS_NODEV},
    {"exec", true, MS_NOEXEC},
    {"noexec", false, MS_NOEXEC},
    {"sync", false, MS_SYNCHRONOUS},
    {"async", true, MS_SYNCHRONOUS},
    {"dirsync", false, MS_DIRSYNC},
    {"remount", false, MS_REMOUNT},
    {"mand", false, MS_MANDLOCK},
    {"nomand", true, MS_MANDLOCK},
    {"atime", true, MS_NOATIME},
    {"noatime", false, MS_NOATIME},
    {"diratime", true, MS_NODIRATIME},
    {"nodiratime", false, MS_NODIRATIME},
    {"relatime", false, MS_RELATIME},
    {"norelatime", true, MS_RELATIME},
    {"strictatime", false, MS_STRICTATIME},
    {"nostrictatime", true, MS_STRICTATIME},
    {"silent", false, MS_SILENT},
    {"loud", true, MS_SILENT},
    {"lazytime", false, MS_LAZYTIME},
};
constexpr Flag kPropagation[] = {
    {"private", false, MS_PRIVATE},       {"rprivate", false, MS_PRIVATE | MS_REC},
    {"slave", false, MS_SLAVE},           {"rslave", false, MS_SLAVE | MS_REC},
    {"shared", false, MS_SHARED},         {"rshared", false, MS_SHARED | MS_REC},
    {"unbindable", false, MS_UNBINDABLE}, {"runbindable", false, MS_UNBINDABLE | MS_REC},
};
// The words that are cnt's (LXC's) own, not mount flags.
struct Switch {
    const char* name;
    bool Opts::*field;
};
constexpr Switch kSwitches[] = {
    {"bind", &Opts::bind},
    {"create=dir", &Opts::create_dir},
    {"create=file", &Opts::create_file},
    {"optional", &Opts::optional},
    {"relative", &Opts::relative},
};

bool set_switch(Opts& o, std::string_view w) {
    if (w == "rbind") {
        o.bind = o.rec = true;
        return true;
    }
    for (const auto& s : kSwitches)
        if (w == s.name) {
            o.*s.field = true;
            return true;
        }
    return false;
}

// A later word overrides an earlier one ("ro,rw" is rw).
bool set_mount_flag(Opts& o, std::string_view w) {
    bool known = false;
    for (const auto& f : kMountFlags)
        if (w == f.name) {
            if (f.clear)
                o.flags &= ~f.flag, o.cleared |= f.flag;
            else
                o.flags |= f.flag, o.cleared &= ~f.flag;
            known = true;
        }
    return known;
}

bool set_propagation(Opts& o, std::string_view w) {
    bool known = false;
    for (const auto& f : kPropagation)
        if (w == f.name) {
            o.propagation |= f.flag;
            known = true;
        }
    return known;
}

// Anything else goes to the filesystem as mount data.
void add_data(Opts& o, std::string_view w) {
    if (!o.data.empty()) o.data += ',';
    o.data += w;
}

Opts parse_opts(const std::string& s) {
    Opts o;
    for (auto w : split(s, ",")) {
        if (set_switch(o, w)) continue;
        bool flag = set_mount_flag(o, w);
        bool prop = set_propagation(o, w);
        if (!flag && !prop) add_data(o, w);
    }
    o.ro = o.flags & MS_RDONLY;
    return o;
}

Result<void> mkdir_p(const std::string& path, mode_t mode = 0755) {
    return store::mkdirs(path, mode);
}

// The target of an entry, resolved inside the rootfs (an absolute and a relative target both
// start at its root, as in LXC), made first with create=dir / create=file.
Result<unique_fd> target_of(int root, const std::string& t, const Opts& o) {
    if (o.create_dir) return mkdir_in_root(root, t);
    if (o.create_file) return create_file_in_root(root, t);
    return open_in_root(root, t, O_PATH);
}

// Superblock flags of mount(2) as the fsconfig flags of the new mount API (the VFS takes
// these names for every filesystem). "silent" only quiets the kernel's log and has no such
// name: a filesystem would refuse it as an unknown option.
std::string sb_options(const Opts& o) {
    std::string d = o.data;
    for (auto [flag, name] : {std::pair{MS_SYNCHRONOUS, "sync"},
                              {MS_DIRSYNC, "dirsync"},
                              {MS_LAZYTIME, "lazytime"},
                              {MS_MANDLOCK, "mand"}})
        if (o.flags & flag) d += cat(d.empty() ? "" : ",", name);
    return d;
}

// An entry's flags are set on the mount as it is made (before it is attached, for a bind), so
// "remount" needs no second call: as in LXC, the entry is mounted, then has its flags.
Result<void> mount_entry(int root, const config::MountFields& f, const Opts& o) {
    CNT_ASSIGN(target, target_of(root, f.target, o));
    unique_fd src;
    if (o.relative) {
        // A source inside the rootfs, resolved there like a target.
        CNT_ASSIGN(s, open_in_root(root, f.source, O_PATH));
        src = std::move(s);
    }
    std::string what = cat(o.bind ? "bind-mounting \"" : "mounting \"", f.source, "\" on \"",
                           in_root(f.target), "\"");
    Attrs a = attrs_of(o.flags, o.cleared);
    unique_fd m;
    if (o.bind) {
        int from = o.relative ? src.get() : AT_FDCWD;
        CNT_ASSIGN(b,
                   bind(from, o.relative ? std::string() : f.source, target.get(), o.rec, a, what));
        m = std::move(b);
    } else {
        std::string source = o.relative ? fd_path(src.get()) : f.source;
        CNT_ASSIGN(n,
                   new_mount(f.fstype.c_str(), source, sb_options(o), a.set, target.get(), what));
        m = std::move(n);
    }
    if (!o.propagation) return {};
    auto r = set_attrs(m.get(), {}, o.propagation);
    if (!r) return sys_error(cat(what, ": changing its propagation"), r.error().err);
    return {};
}

Result<void> mount_one(int root, const config::MountFields& f) {
    Opts o = parse_opts(f.options);
    auto r = mount_entry(root, f, o);
    // optional: a missing source or target is not fatal. Nothing outside the rootfs was
    // touched either way: the resolver refuses before any create or mount.
    if (!r && o.optional) return {};
    return r;
}

constexpr unsigned kCommon = MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC;

// `name` in the mount `m` made read-only in place (a bind on itself, read-only before it is
// attached). Absent is no error: not every kernel has every /proc file.
Result<void> bind_ro_in(int m, const char* name, const std::string& shown) {
    unique_fd at(::openat(m, name, O_PATH | O_NOFOLLOW | O_CLOEXEC));
    if (!at) {
        if (errno == ENOENT) return {};
        return sys_error(cat("opening \"", shown, "\""));
    }
    CNT_TRY(bind(at.get(), "", at.get(), false, {MOUNT_ATTR_RDONLY, 0},
                 cat("making \"", shown, "\" read-only")));
    return {};
}

Result<unique_fd> mount_at(int root, const char* type, const char* path, unsigned attrs) {
    CNT_ASSIGN(dir, mkdir_in_root(root, path));
    return new_mount(type, type, "", attrs, dir.get(),
                     cat("mounting ", type, " on \"", path, "\""));
}

Result<void> auto_mounts(const config::Config& cfg, int root,
                         const std::vector<cgroup::Placement>& cgroups, const Gate& cgroups_ready) {
    using A = config::MountAuto;
    const auto& a = cfg.mounts.autos;
    if (a.proc != A::Proc::none) {
        // Init is already pid 1 of its own pid namespace: this proc shows only the container.
        CNT_ASSIGN(proc, mount_at(root, "proc", "/proc", kCommon));
        if (a.proc == A::Proc::mixed) {
            // proc:mixed: /proc/sys and sysrq-trigger read-only (the host's kernel knobs).
            // Found in the new proc itself: the rootfs has no say in what they are.
            CNT_TRY(bind_ro_in(proc.get(), "sys", "/proc/sys"));
            CNT_TRY(bind_ro_in(proc.get(), "sysrq-trigger", "/proc/sysrq-trigger"));
            CNT_TRY(hide_proc(proc.get()));
        }
    }
    if (a.sys != A::Sys::none) {
        unsigned f = kCommon;
        if (a.sys == A::Sys::ro || a.sys == A::Sys::mixed) f |= MOUNT_ATTR_RDONLY;
        CNT_ASSIGN(sys, mount_at(root, "sysfs", "/sys", f));
        if (f & MOUNT_ATTR_RDONLY) CNT_TRY(hide_sys(sys.get()));
    }
    if (a.cgroup == A::Cgroup::none && a.cgroup2 == A::Cgroup2::none) return {};
    CNT_TRY(cgroups_ready());
    return mount_cgroups(cfg, cgroups, root);
}

// A cgroup filesystem shows the tree from its mounter's cgroup namespace root.
bool is_cgroupfs(const config::MountFields& f) {
    return f.fstype == "cgroup" || f.fstype == "cgroup2";
}

// lxc.rootfs.options: the per-mount flags (nosuid, nodev, noexec, atime...) on the rootfs
// bind now; ro is kept for seal(), so init can still make mount targets and /dev.
Result<void> apply_options(const config::Config& cfg, const RootOptions& ro, int root) {
    Attrs a = attrs_of(ro.set, ro.cleared);
    if (a.empty()) return {};
    auto r = set_attrs(root, a);
    if (!r)
        return sys_error(cat("applying lxc.rootfs.options \"", cfg.rootfs.options, "\""),
                         r.error().err);
    return {};
}

}  // namespace

RootOptions root_options(const config::Config& cfg) {
    if (cfg.rootfs.options.empty()) return {};
    Opts o = parse_opts(cfg.rootfs.options);
    return RootOptions{o.flags & ~MS_RDONLY, o.cleared & ~MS_RDONLY, o.ro};
}

Result<unique_fd> open_store(const Store& store) {
    if (!store || !bdev::needs_mount(store->kind)) return unique_fd();
    return bdev::open_root(*store);
}

Result<unique_fd> prepare(const config::Config& cfg, const Store& store, const RootOptions& ro,
                          int store_root) {
    if (::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr) != 0)
        return sys_error("making mounts private");
    if (!store) return unique_fd();
    const bdev::Spec& spec = *store;
    std::string src = host_path(cfg);
    std::string dst = mount_point(cfg);
    if (bdev::needs_mount(spec.kind) && dst == src)
        return error("rootfs \"", spec.str(), "\": no mount point (lxc.rootfs.mount)");
    struct stat st {};
    if (!bdev::needs_mount(spec.kind) && ::stat(src.c_str(), &st) != 0)
        return sys_error(cat("rootfs \"", src, "\""));
    if (dst != src) CNT_TRY(mkdir_p(dst));
    if (!bdev::needs_mount(spec.kind)) {
        CNT_TRY(bdev::mount(spec, dst));
    } else if (store_root < 0) {
        return error("rootfs \"", spec.str(), "\" was not mounted");
    } else if (::move_mount(store_root, "", AT_FDCWD, dst.c_str(), MOVE_MOUNT_F_EMPTY_PATH) != 0) {
        return sys_error(cat("mounting rootfs \"", spec.str(), "\" on \"", dst, "\""));
    }
    // Opened after the bind, so the descriptor is the bind's root, not what it covers.
    unique_fd fd(::open(dst.c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
    if (!fd) return sys_error(cat("opening the mounted rootfs \"", dst, "\""));
    CNT_TRY(apply_options(cfg, ro, fd.get()));
    return fd;
}

Result<unique_fd> attach_idmapped(const config::Config& cfg, const RootOptions& ro, int root,
                                  unique_fd m) {
    // On the bind's root by descriptor: init, now the container's root, may not be able to
    // look the rootfs's path up.
    if (::move_mount(m.get(), "", root, "", MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) != 0)
        return sys_error("attaching the idmapped rootfs (move_mount)");
    CNT_TRY(apply_options(cfg, ro, m.get()));
    return m;
}

Result<void> mount_all(const config::Config& cfg, int root,
                       const std::vector<cgroup::Placement>& cgroups, const Gate& cgroups_ready) {
    CNT_TRY(auto_mounts(cfg, root, cgroups, cgroups_ready));
    if (!cfg.mounts.fstab.empty()) {
        auto text = store::read_input(cfg.mounts.fstab);
        if (!text) {
            const Error& e = text.error();
            return errno_error(e.err, cat("reading lxc.mount.fstab \"", cfg.mounts.fstab, "\"",
                                          e.step.empty() ? "" : ": ", e.step));
        }
        std::string_view rest = *text;
        for (int n = 1; !rest.empty(); ++n) {
            auto nl = rest.find('\n');
            std::string line(rest.substr(0, nl));
            rest.remove_prefix(nl == std::string_view::npos ? rest.size() : nl + 1);
            auto p = line.find_first_not_of(" \t");
            if (p == std::string::npos || line[p] == '#') continue;
            auto f = config::split_mount_entry(line);
            if (f && is_cgroupfs(*f)) CNT_TRY(cgroups_ready());
            auto r = f ? mount_one(root, *f) : Result<void>(std::unexpected(std::move(f.error())));
            if (!r)
                return std::unexpected(std::move(r.error()).within(cat(cfg.mounts.fstab, ":", n)));
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

Result<void> seal(const RootOptions& ro, int root) {
    if (!ro.ro) return {};
    // On the rootfs bind only: /dev, /proc and the entries mounted on it keep their own flags.
    auto r = set_attrs(root, {MOUNT_ATTR_RDONLY, 0});
    if (!r)
        return sys_error("making the rootfs read-only (lxc.rootfs.options = ro)", r.error().err);
    return {};
}

Result<void> pivot(int root) {
    // The descriptor is the rootfs bind's root: pivot_root needs a mount point, and a path
    // would be looked up again.
    if (::fchdir(root) != 0) return sys_error("entering the rootfs");
    // pivot_root(".", "."): the old root ends up stacked under the new one, then detached;
    // no directory for the old root is needed in the container.
    if (::syscall(SYS_pivot_root, ".", ".") != 0)
        return sys_error("making the rootfs the root (pivot_root)");
    if (::umount2(".", MNT_DETACH) != 0) return sys_error("detaching the old root");
    if (::chdir("/") != 0) return sys_error("changing to the new root directory");
    return {};
}

}  // namespace cnt::rootfs
