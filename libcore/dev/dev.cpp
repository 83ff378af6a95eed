#include "dev/dev.hpp"

#include <fcntl.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "cnt/scope.hpp"
#include "rootfs/resolve.hpp"

namespace cnt::dev {

namespace {

// `name` in the directory `dir` replaced by an empty file (whatever was there: a stale node or
// a symlink from the rootfs is removed, never followed) and a bind of the host's `src` on it.
Result<void> bind_node(const std::string& src, int dir, const std::string& name,
                       const std::string& shown) {
    if (::unlinkat(dir, name.c_str(), 0) != 0 && errno != ENOENT)
        return sys_error(cat("removing \"", shown, "\""));
    unique_fd fd(
        ::openat(dir, name.c_str(), O_CREAT | O_EXCL | O_NOFOLLOW | O_WRONLY | O_CLOEXEC, 0644));
    if (!fd) return sys_error(cat("creating \"", shown, "\""));
    CNT_TRY(rootfs::bind(AT_FDCWD, src, fd.get(), false, {},
                         cat("bind-mounting \"", src, "\" on \"", shown, "\"")));
    return {};
}

// `name` in `dir` made a symlink to `target`, replacing what was there.
Result<void> link_in(int dir, const std::string& name, const std::string& target,
                     const std::string& shown) {
    (void)::unlinkat(dir, name.c_str(), 0);
    if (::symlinkat(target.c_str(), dir, name.c_str()) != 0)
        return sys_error(cat("linking \"", shown, "\""));
    return {};
}

struct Node {
    const char* name;
    unsigned maj, min;
};
constexpr Node kNodes[] = {{"null", 1, 3},   {"zero", 1, 5},    {"full", 1, 7},
                           {"random", 1, 8}, {"urandom", 1, 9}, {"tty", 5, 0}};

// The standard links and directories of a fresh /dev.
Result<void> fill_dev(int dev) {
    for (auto [l, t] : {std::pair{"fd", "/proc/self/fd"},
                        {"stdin", "/proc/self/fd/0"},
                        {"stdout", "/proc/self/fd/1"},
                        {"stderr", "/proc/self/fd/2"}})
        (void)::symlinkat(t, dev, l);
    for (const char* d : {"shm", "mqueue"})
        if (::mkdirat(dev, d, 0755) != 0 && errno != EEXIST)
            return sys_error(cat("creating \"/dev/", d, "\""));
    return {};
}

// autodev: a tmpfs on /dev with the standard nodes and links, made through the mount's own
// descriptor (returned): nothing of the rootfs's /dev is looked at. `premade`: the one the
// monitor made (premade_autodev), attached as it is.
Result<unique_fd> autodev(const config::Config& cfg, int dir, unique_fd premade) {
    if (premade) {
        if (::move_mount(premade.get(), "", dir, "",
                         MOVE_MOUNT_F_EMPTY_PATH | MOVE_MOUNT_T_EMPTY_PATH) != 0)
            return sys_error("attaching the tmpfs on \"/dev\"");
        return premade;
    }
    auto size = cfg.mounts.autodev_tmpfs_size ? cfg.mounts.autodev_tmpfs_size : 500000;
    CNT_ASSIGN(dev, rootfs::new_mount("tmpfs", "none", cat("size=", size, ",mode=755"),
                                      MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC, dir,
                                      "mounting tmpfs on \"/dev\""));
    mode_t old = ::umask(0);
    scope_exit restore([old] { ::umask(old); });
    for (const auto& n : kNodes) {
        if (::mknodat(dev.get(), n.name, S_IFCHR | 0666, makedev(n.maj, n.min)) == 0) continue;
        // In a user namespace mknod is refused: bind the host's node instead.
        CNT_TRY(bind_node(cat("/dev/", n.name), dev.get(), n.name, cat("/dev/", n.name)));
    }
    CNT_TRY(fill_dev(dev.get()));
    return dev;
}

// A private devpts: the container's ptys are numbered from 0, limited to pty.max, and the
// host's are invisible. /dev/ptmx becomes its ptmx: a bind on a node the rootfs has (no
// autodev), else a symlink.
Result<void> devpts(const config::Config& cfg, int root, int dev) {
    CNT_ASSIGN(dir, rootfs::mkdir_in_root(root, "/dev/pts"));
    std::string opts = "newinstance,ptmxmode=0666,mode=0620,gid=5";
    if (cfg.ptys.pty_max) opts += cat(",max=", cfg.ptys.pty_max);
    CNT_ASSIGN(pts,
               rootfs::new_mount("devpts", "devpts", opts, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC,
                                 dir.get(), "mounting devpts on \"/dev/pts\""));
    struct stat st {};
    if (::fstatat(dev, "ptmx", &st, AT_SYMLINK_NOFOLLOW) == 0 && !S_ISLNK(st.st_mode)) {
        unique_fd node(::openat(dev, "ptmx", O_PATH | O_NOFOLLOW | O_CLOEXEC));
        if (!node) return sys_error("opening \"/dev/ptmx\"");
        CNT_TRY(rootfs::bind(pts.get(), "ptmx", node.get(), false, {},
                             "bind-mounting \"/dev/pts/ptmx\" on \"/dev/ptmx\""));
        return {};
    }
    // A symlink there (the rootfs's, pointing anywhere) is replaced by ours.
    return link_in(dev, "ptmx", "pts/ptmx", "/dev/ptmx");
}

// ttys: /dev/ttyN, or /dev/<tty.dir>/ttyN with /dev/ttyN a symlink to it; the console the
// same. Each a bind of the monitor's pty slave (a host path) on a file made in place.
Result<void> ttys(const config::Config& cfg, int root, int dev, const pty::Ptys& ptys) {
    const std::string& tty_dir = cfg.ptys.tty_dir;
    unique_fd in_dir;
    if (!tty_dir.empty()) {
        CNT_ASSIGN(d, rootfs::mkdir_in_root(root, "/dev/" + tty_dir));
        in_dir = std::move(d);
    }
    int tdir = tty_dir.empty() ? dev : in_dir.get();
    std::string shown = tty_dir.empty() ? std::string("/dev") : rootfs::in_root("/dev/" + tty_dir);
    auto one = [&](const std::string& name, const std::string& slave) -> Result<void> {
        CNT_TRY(bind_node(slave, tdir, name, cat(shown, "/", name)));
        if (tty_dir.empty()) return {};
        return link_in(dev, name, cat(tty_dir, "/", name), cat("/dev/", name));
    };
    for (size_t i = 0; i < ptys.ttys.size(); ++i)
        CNT_TRY(one(cat("tty", i + 1), ptys.ttys[i].slave));
    if (ptys.console.master) CNT_TRY(one("console", ptys.console.slave));
    return {};
}

}  // namespace

Result<unique_fd> premade_autodev(const config::Config& cfg, uid_t uid, gid_t gid) {
    const char* what = "making the tmpfs for \"/dev\"";
    auto size = cfg.mounts.autodev_tmpfs_size ? cfg.mounts.autodev_tmpfs_size : 500000;
    unique_fd fs(::fsopen("tmpfs", FSOPEN_CLOEXEC));
    if (!fs) return sys_error(what);
    for (auto [k, v] : {std::pair{"source", std::string("none")},
                        {"size", std::to_string(size)},
                        {"mode", std::string("755")},
                        {"uid", std::to_string(uid)},
                        {"gid", std::to_string(gid)}})
        if (::fsconfig(fs.get(), FSCONFIG_SET_STRING, k, v.c_str(), 0) != 0)
            return sys_error(cat(what, ": option ", k, "=", v));
    if (::fsconfig(fs.get(), FSCONFIG_CMD_CREATE, nullptr, nullptr, 0) != 0) return sys_error(what);
    unique_fd dev(::fsmount(fs.get(), FSMOUNT_CLOEXEC, MOUNT_ATTR_NOSUID | MOUNT_ATTR_NOEXEC));
    if (!dev) return sys_error(what);
    // Nobody else reaches this mount yet: names in it are ours.
    for (const auto& n : kNodes)
        if (::mknodat(dev.get(), n.name, S_IFCHR | 0666, makedev(n.maj, n.min)) != 0 ||
            ::fchmodat(dev.get(), n.name, 0666, 0) != 0 ||
            ::fchownat(dev.get(), n.name, uid, gid, AT_SYMLINK_NOFOLLOW) != 0)
            return sys_error(cat(what, ": making \"/dev/", n.name, "\""));
    CNT_TRY(fill_dev(dev.get()));
    for (const char* l : {"fd", "stdin", "stdout", "stderr", "shm", "mqueue"})
        if (::fchownat(dev.get(), l, uid, gid, AT_SYMLINK_NOFOLLOW) != 0)
            return sys_error(cat(what, ": giving \"/dev/", l, "\" to the container's root"));
    return dev;
}

Result<void> setup(const config::Config& cfg, int root, const pty::Ptys& ptys, unique_fd premade) {
    CNT_ASSIGN(dir, rootfs::mkdir_in_root(root, "/dev"));
    // With autodev the tmpfs's own descriptor: `dir` is what it covers.
    unique_fd dev = std::move(dir);
    if (cfg.mounts.autodev) {
        CNT_ASSIGN(tmp, autodev(cfg, dev.get(), std::move(premade)));
        dev = std::move(tmp);
    }
    CNT_TRY(devpts(cfg, root, dev.get()));
    return ttys(cfg, root, dev.get(), ptys);
}

Result<void> attach_console() {
    int fd = ::open("/dev/console", O_RDWR | O_NOCTTY);
    if (fd < 0) return sys_error("opening /dev/console");
    // Init's own session, with the console on stdio but not as its controlling terminal (as
    // LXC): a getty on the console then claims it with TIOCSCTTY. Taking it from init would
    // need CAP_SYS_ADMIN in the host's user namespace, which an idmapped container's root
    // lacks.
    ::setsid();
    for (int i = 0; i < 3; ++i)
        if (::dup2(fd, i) < 0) return sys_error("redirecting stdio to /dev/console");
    if (fd > 2) ::close(fd);
    return {};
}

}  // namespace cnt::dev
