#include "dev/dev.hpp"
#include "dev/pty.hpp"

#include <fcntl.h>
#include <poll.h>
#include <stdlib.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

namespace cnt::dev {

namespace {

Result<Pty> open_pty(bool raw) {
    Pty p;
    p.master.reset(::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC));
    if (!p.master) return sys_error("allocating a pty (/dev/ptmx)");
    if (::grantpt(p.master.get()) != 0 || ::unlockpt(p.master.get()) != 0)
        return sys_error("unlocking a pty");
    char name[128];
    if (::ptsname_r(p.master.get(), name, sizeof name) != 0) return sys_error("naming a pty");
    p.slave = name;
    if (raw) {
        struct termios t {};
        if (::tcgetattr(p.master.get(), &t) == 0) {
            ::cfmakeraw(&t);
            ::tcsetattr(p.master.get(), TCSANOW, &t);
        }
    }
    return p;
}

// An empty file or directory to mount on.
Result<void> make_target(const std::string& path, bool dir) {
    if (dir) {
        if (::mkdir(path.c_str(), 0755) != 0 && errno != EEXIST)
            return sys_error(cat("creating \"", path, "\""));
        return {};
    }
    unique_fd fd(::open(path.c_str(), O_CREAT | O_WRONLY | O_CLOEXEC | O_NOFOLLOW, 0644));
    if (!fd && errno != EEXIST) return sys_error(cat("creating \"", path, "\""));
    return {};
}

Result<void> bind(const std::string& src, const std::string& dst) {
    if (::mount(src.c_str(), dst.c_str(), nullptr, MS_BIND, nullptr) != 0)
        return sys_error(cat("bind-mounting \"", src, "\" on \"", dst, "\""));
    return {};
}

}  // namespace

Result<Ptys> allocate(const config::Config& cfg, bool raw_console) {
    Ptys p;
    if (!(cfg.console.path && *cfg.console.path == "none")) {
        CNT_ASSIGN(c, open_pty(raw_console));
        p.console = std::move(c);
    }
    for (unsigned i = 0; i < cfg.ptys.tty_max; ++i) {
        CNT_ASSIGN(t, open_pty(false));
        p.ttys.push_back(std::move(t));
    }
    return p;
}

Result<void> give_ptys(const Ptys& ptys, uid_t uid, gid_t gid) {
    auto give = [&](const Pty& p) -> Result<void> {
        if (!p.master) return {};
        // Through the master, not the /dev/pts path: the slave is the one this master owns.
        CNT_ASSIGN(slave, open_pty_peer(p.master.get()));
        if (::fchown(slave.get(), uid, gid) != 0)
            return sys_error(cat("giving \"", p.slave, "\" to the container's root"));
        return {};
    };
    CNT_TRY(give(ptys.console));
    for (const auto& t : ptys.ttys) CNT_TRY(give(t));
    return {};
}

Result<void> setup(const config::Config& cfg, const std::string& root, const Ptys& ptys) {
    std::string dev = root + "/dev";
    CNT_TRY(make_target(dev, true));
    if (cfg.mounts.autodev) {
        auto size = cfg.mounts.autodev_tmpfs_size ? cfg.mounts.autodev_tmpfs_size : 500000;
        std::string opts = cat("size=", size, ",mode=755");
        if (::mount("none", dev.c_str(), "tmpfs", MS_NOSUID | MS_NOEXEC, opts.c_str()) != 0)
            return sys_error(cat("mounting tmpfs on \"", dev, "\""));
        struct Node {
            const char* name;
            unsigned maj, min;
        };
        static const Node nodes[] = {{"null", 1, 3},   {"zero", 1, 5},    {"full", 1, 7},
                                     {"random", 1, 8}, {"urandom", 1, 9}, {"tty", 5, 0}};
        mode_t old = ::umask(0);
        for (const auto& n : nodes) {
            std::string path = dev + "/" + n.name;
            if (::mknod(path.c_str(), S_IFCHR | 0666, makedev(n.maj, n.min)) == 0) continue;
            // In a user namespace mknod is refused: bind the host's node instead.
            CNT_TRY(make_target(path, false));
            auto r = bind(cat("/dev/", n.name), path);
            if (!r) {
                ::umask(old);
                return r;
            }
        }
        ::umask(old);
        for (auto [l, t] : {std::pair{"fd", "/proc/self/fd"}, {"stdin", "/proc/self/fd/0"},
                            {"stdout", "/proc/self/fd/1"}, {"stderr", "/proc/self/fd/2"}})
            (void)::symlink(t, (dev + "/" + l).c_str());
        CNT_TRY(make_target(dev + "/shm", true));
        CNT_TRY(make_target(dev + "/mqueue", true));
    }
    // A private devpts: the container's ptys are numbered from 0, limited to pty.max, and the
    // host's are invisible.
    std::string pts = dev + "/pts";
    CNT_TRY(make_target(pts, true));
    std::string opts = "newinstance,ptmxmode=0666,mode=0620,gid=5";
    if (cfg.ptys.pty_max) opts += cat(",max=", cfg.ptys.pty_max);
    if (::mount("devpts", pts.c_str(), "devpts", MS_NOSUID | MS_NOEXEC, opts.c_str()) != 0)
        return sys_error(cat("mounting devpts on \"", pts, "\""));
    std::string ptmx = dev + "/ptmx";
    struct stat st {};
    if (::lstat(ptmx.c_str(), &st) == 0 && !S_ISLNK(st.st_mode)) {
        // A node from the rootfs (no autodev): make it the private instance's ptmx.
        CNT_TRY(bind(pts + "/ptmx", ptmx));
    } else if (::symlink("pts/ptmx", ptmx.c_str()) != 0 && errno != EEXIST) {
        return sys_error(cat("linking \"", ptmx, "\""));
    }
    // ttys: /dev/ttyN, or /dev/<tty.dir>/ttyN with /dev/ttyN a symlink to it.
    std::string tdir = dev;
    if (!cfg.ptys.tty_dir.empty()) {
        tdir = dev + "/" + cfg.ptys.tty_dir;
        CNT_TRY(make_target(tdir, true));
    }
    for (size_t i = 0; i < ptys.ttys.size(); ++i) {
        std::string name = cat("tty", i + 1);
        std::string path = tdir + "/" + name;
        ::unlink(path.c_str());
        CNT_TRY(make_target(path, false));
        CNT_TRY(bind(ptys.ttys[i].slave, path));
        if (!cfg.ptys.tty_dir.empty()) {
            std::string l = dev + "/" + name;
            ::unlink(l.c_str());
            if (::symlink((cfg.ptys.tty_dir + "/" + name).c_str(), l.c_str()) != 0)
                return sys_error(cat("linking \"", l, "\""));
        }
    }
    if (ptys.console.master) {
        std::string path = dev + "/console";
        if (!cfg.ptys.tty_dir.empty()) {
            path = tdir + "/console";
            std::string l = dev + "/console";
            ::unlink(l.c_str());
            if (::symlink((cfg.ptys.tty_dir + "/console").c_str(), l.c_str()) != 0)
                return sys_error(cat("linking \"", l, "\""));
        }
        ::unlink(path.c_str());
        CNT_TRY(make_target(path, false));
        CNT_TRY(bind(ptys.console.slave, path));
    }
    return {};
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

RawTerminal::RawTerminal(int fd) : fd_(fd) {
    if (!::isatty(fd) || ::tcgetattr(fd, &old_) != 0) return;
    struct termios t = old_;
    ::cfmakeraw(&t);
    t.c_oflag |= OPOST;  // keep \n -> \r\n on our own terminal for messages
    if (::tcsetattr(fd, TCSAFLUSH, &t) == 0) active_ = true;
}
RawTerminal::~RawTerminal() {
    if (active_) ::tcsetattr(fd_, TCSAFLUSH, &old_);
}

void copy_winsize(int from, int to) {
    struct winsize ws {};
    if (::ioctl(from, TIOCGWINSZ, &ws) == 0) ::ioctl(to, TIOCSWINSZ, &ws);
}

bool write_all(int fd, const char* buf, size_t n) {
    while (n > 0) {
        ssize_t w = ::write(fd, buf, n);
        if (w < 0) {
            if (errno == EINTR) continue;
            if (errno == EAGAIN) {
                struct pollfd p {fd, POLLOUT, 0};
                ::poll(&p, 1, -1);
                continue;
            }
            return false;
        }
        buf += w;
        n -= static_cast<size_t>(w);
    }
    return true;
}

}  // namespace cnt::dev
