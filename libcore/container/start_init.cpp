// The container's init: runs in the new namespaces, builds the filesystem, then execs.
#include <fcntl.h>
#include <grp.h>
#include <linux/close_range.h>
#include <net/if.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <charconv>
#include <cstdlib>
#include <cstring>

#include "container/start_internal.hpp"
#include "dev/pty.hpp"
#include "rootfs/rootfs.hpp"

namespace cnt::start {

Result<void> send_msg(int fd, const std::string& m) {
    if (::send(fd, m.data(), m.size(), MSG_NOSIGNAL) < 0) return sys_error("sync with init");
    return {};
}

Result<std::string> recv_msg(int fd, const char* waiting_for, int flags) {
    char buf[1024];
    ssize_t n;
    bool reset_seen = false;
    for (;;) {
        n = ::recv(fd, buf, sizeof buf, flags);
        if (n >= 0) break;
        if (errno == EINTR) continue;
        // A peer that exits with our message unread leaves ECONNRESET pending on this
        // socket, and the kernel reports it before the messages still queued: init's own
        // error is one of them. The error is cleared once reported; read again.
        if (errno != ECONNRESET || reset_seen) break;
        reset_seen = true;
    }
    if (n < 0) return sys_error(cat("sync: waiting for ", waiting_for));
    return std::string(buf, static_cast<size_t>(n));
}

std::string encode_error(const Error& e) {
    return cat("error\t", e.err, "\t", e.object, "\t", e.step);
}

std::optional<Error> decode_error(const std::string& m) {
    if (m.rfind("error\t", 0) != 0) return std::nullopt;
    auto t1 = m.find('\t', 6);
    auto t2 = t1 == std::string::npos ? t1 : m.find('\t', t1 + 1);
    if (t2 == std::string::npos) return Error{0, m.substr(6), {}};
    return Error{std::atoi(m.substr(6, t1 - 6).c_str()), m.substr(t2 + 1),
                 m.substr(t1 + 1, t2 - t1 - 1)};
}

Error init_error_or(int fd, Error fallback) {
    auto m = recv_msg(fd, "init's error", MSG_DONTWAIT);
    if (m)
        if (auto e = decode_error(*m)) return std::move(*e);
    return fallback;
}

Result<void> send_error(int fd, const Error& e) { return send_msg(fd, encode_error(e)); }

Result<void> expect(int fd, const char* what) {
    CNT_ASSIGN(m, recv_msg(fd, what));
    if (m == what) return {};
    if (auto e = decode_error(m)) return std::unexpected(std::move(*e));
    if (m.empty()) return error("sync: the other side exited while waiting for \"", what, "\"");
    return error("sync: expected \"", what, "\", got \"", m, "\"");
}

// "setup", then '\0'-separated fields: the number of v1 files, of v2 files (0 or 1), of rootfs
// mounts (0 or 1), of /dev mounts (0 or 1), the cgroups of the files (for messages), then
// label, mountpoint and path of each placement. The descriptors: v1 files, the v2 file, the
// rootfs mount, the /dev mount.
Result<void> send_setup(int fd, const Setup& s) {
    std::string m(kSetup);
    auto field = [&m](std::string_view f) {
        m += '\0';
        m += f;
    };
    std::vector<int> fds;
    const bool v2 = bool(s.join.v2.fd);
    field(std::to_string(s.join.v1.size()));
    field(v2 ? "1" : "0");
    field(s.rootfs ? "1" : "0");
    field(s.dev ? "1" : "0");
    for (const auto& f : s.join.v1) {
        field(f.dir);
        fds.push_back(f.fd.get());
    }
    if (v2) {
        field(s.join.v2.dir);
        fds.push_back(s.join.v2.fd.get());
    }
    if (s.rootfs) fds.push_back(s.rootfs.get());
    if (s.dev) fds.push_back(s.dev.get());
    for (const auto& p : s.cgroups) {
        field(p.label);
        field(p.mountpoint);
        field(p.path);
    }
    return dev::send_fds(fd, fds, m, "sync with init");
}

Result<void> send_ns(int fd) {
    unique_fd user(::open("/proc/self/ns/user", O_RDONLY | O_CLOEXEC));
    unique_fd net(::open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC));
    if (!user || !net) return sys_error("opening init's own namespaces");
    const int fds[] = {user.get(), net.get()};
    return dev::send_fds(fd, fds, kNs, "sync with the monitor");
}

Result<NsFds> recv_ns(int fd) {
    char text[256];
    CNT_ASSIGN(got, dev::recv_fds(fd, text));
    std::string m(text, got.size);
    if (auto e = decode_error(m)) return std::unexpected(std::move(*e));
    if (m != kNs || got.fds.size() != 2 || got.truncated)
        return error("sync: expected init's namespaces, got \"", m.substr(0, 32), "\"");
    return NsFds{std::move(got.fds[0]), std::move(got.fds[1])};
}

Result<Setup> recv_setup(int fd) {
    // On the stack and not cleared: init pays a page fault per page of a buffer it touches.
    char text[16 * 1024];
    auto r = dev::recv_fds(fd, text);
    if (!r) return sys_error(cat("sync: waiting for ", kSetup), r.error().err);
    auto& got = *r;
    auto& fds = got.fds;
    std::string buf(text, got.size);
    if (got.truncated) return error("sync: the setup message was cut short");
    if (auto e = decode_error(buf)) return std::unexpected(std::move(*e));
    if (buf.empty()) return error("sync: the other side exited while waiting for \"", kSetup, "\"");
    std::vector<std::string> f;
    for (size_t pos = 0;;) {
        size_t e = buf.find('\0', pos);
        f.push_back(buf.substr(pos, e == std::string::npos ? std::string::npos : e - pos));
        if (e == std::string::npos) break;
        pos = e + 1;
    }
    auto num = [](const std::string& t, size_t& out) {
        return std::from_chars(t.data(), t.data() + t.size(), out).ec == std::errc{};
    };
    size_t nv1 = 0, nv2 = 0, nroot = 0, ndev = 0;
    bool ok = f.size() >= 5 && f[0] == kSetup && num(f[1], nv1) && num(f[2], nv2) &&
              num(f[3], nroot) && num(f[4], ndev) && nv2 <= 1 && nroot <= 1 && ndev <= 1 &&
              fds.size() == nv1 + nv2 + nroot + ndev && f.size() >= 5 + nv1 + nv2 &&
              (f.size() - 5 - nv1 - nv2) % 3 == 0;
    if (!ok) return error("sync: expected \"", kSetup, "\", got \"", f[0], "\"");
    Setup s;
    size_t i = 5;
    for (size_t k = 0; k < nv1; ++k, ++i) s.join.v1.push_back({std::move(fds[k]), f[i]});
    if (nv2) s.join.v2 = {std::move(fds[nv1]), f[i++]};
    if (nroot) s.rootfs = std::move(fds[nv1 + nv2]);
    if (ndev) s.dev = std::move(fds[nv1 + nv2 + nroot]);
    for (; i < f.size(); i += 3) s.cgroups.push_back({f[i], f[i + 1], f[i + 2]});
    return s;
}

namespace {

// A change of uid or gid resets the dumpable flag to fs.suid_dumpable (which may be 1): set
// it again, so init stays non-dumpable until its exec.
void stay_undumpable() { ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0); }

// A new network namespace starts with lo down (what the monitor's netlink does for root).
Result<void> loopback_up() {
    unique_fd s(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    if (!s) return sys_error("bringing lo up: socket");
    struct ifreq ifr {};
    std::strncpy(ifr.ifr_name, "lo", IFNAMSIZ - 1);
    if (::ioctl(s.get(), SIOCGIFFLAGS, &ifr) != 0) return sys_error("bringing lo up: SIOCGIFFLAGS");
    ifr.ifr_flags |= IFF_UP;
    if (::ioctl(s.get(), SIOCSIFFLAGS, &ifr) != 0) return sys_error("bringing lo up: SIOCSIFFLAGS");
    return {};
}

Result<void> setup_all(const InitArgs& a) {
    const auto& cfg = *a.cfg;
    if (a.send_ns) CNT_TRY(send_ns(a.sync));
    if (a.shared && !a.shared->empty()) {
        CNT_TRY(a.shared->join_in_child());
        // Joined, not created: become root of the user namespace we now live in.
        if ((a.shared->mask() & CLONE_NEWUSER) &&
            (::setresgid(0, 0, 0) != 0 || ::setresuid(0, 0, 0) != 0))
            return sys_error("becoming root in the shared user namespace");
        stay_undumpable();
    }
    // The monitor's "setup" (id maps written, cgroups made) is awaited at the first step that
    // needs it: without a user namespace init builds its filesystem while the monitor makes
    // the cgroups, and joins them before its first step inside the new root (or its first
    // hook, or a cgroup mount). Everything from there on is limited and accounted like the
    // payload; what came before is mounts in init's own namespace and the /dev nodes.
    std::vector<cgroup::Placement> cgroups;  // for lxc.mount.auto's cgroup forms
    unique_fd idmapped;                      // the rootfs through an idmapped mount
    unique_fd premade_dev;                   // the /dev tmpfs the monitor made
    bool setup_done = false;
    auto setup = [&]() -> Result<void> {
        if (setup_done) return {};
        setup_done = true;
        CNT_ASSIGN(s, recv_setup(a.sync));
        // The files were opened by the monitor: the kernel checks its credentials, not
        // those init has in a user namespace.
        CNT_TRY(s.join.join(a.born_in_v2));
        cgroups = std::move(s.cgroups);
        idmapped = std::move(s.rootfs);
        premade_dev = std::move(s.dev);
        if (a.clone_flags & CLONE_NEWUSER) {
            // The monitor has written our maps; become root of the new user namespace.
            if (::setresgid(0, 0, 0) != 0 || ::setresuid(0, 0, 0) != 0)
                return sys_error("becoming root in the user namespace");
            stay_undumpable();
        }
        // A cgroup namespace is rooted where its creator sits: made in the container's
        // cgroups (just joined), the container sees them as its "/".
        if ((a.clone_flags & CLONE_NEWCGROUP) && ::unshare(CLONE_NEWCGROUP) != 0)
            return sys_error("creating the cgroup namespace");
        return {};
    };
    // Hooks run inside the container's cgroups and namespaces, as LXC runs them.
    auto hook = [&](config::HookType t) -> Result<void> {
        if (cfg.hooks.of(t).empty()) return {};
        CNT_TRY(setup());
        return hooks::run(cfg, t, a.hook_env);
    };
    CNT_ASSIGN(rootfd, rootfs::prepare(cfg));
    // Nothing works in a new user namespace before its id maps exist.
    if (a.clone_flags & CLONE_NEWUSER) CNT_TRY(setup());
    if (idmapped) {
        CNT_ASSIGN(m, rootfs::attach_idmapped(cfg, rootfd.get(), std::move(idmapped)));
        rootfd = std::move(m);
    }
    // No rootfs: the host's own "/", in init's private mount namespace.
    unique_fd host_root;
    if (!rootfd) host_root.reset(::open("/", O_PATH | O_DIRECTORY | O_CLOEXEC));
    const int root = rootfd ? rootfd.get() : host_root.get();
    if (root < 0) return sys_error("opening /");
    CNT_TRY(hook(config::HookType::pre_mount));
    CNT_TRY(rootfs::mount_all(cfg, root, cgroups, setup));
    CNT_TRY(hook(config::HookType::mount));
    CNT_TRY(dev::setup(cfg, root, *a.ptys, std::move(premade_dev)));
    CNT_TRY(hook(config::HookType::autodev));
    if (rootfd) {
        CNT_TRY(rootfs::seal(cfg, root));
        CNT_TRY(rootfs::pivot(root));
    }
    CNT_TRY(setup());
    if (a.lo_up) CNT_TRY(loopback_up());
    if (cfg.uts.name && (a.clone_flags & CLONE_NEWUTS))
        if (::sethostname(cfg.uts.name->data(), cfg.uts.name->size()) != 0)
            return sys_error(cat("setting hostname \"", *cfg.uts.name, "\""));
    if (a.ptys->console.master) {
        CNT_TRY(dev::attach_console());
    } else if (!a.foreground) {
        int fd = ::open("/dev/null", O_RDWR);
        if (fd >= 0) {
            for (int i = 0; i < 3; ++i) ::dup2(fd, i);
            if (fd > 2) ::close(fd);
        }
    }
    ::clearenv();
    ::setenv("container", "cnt", 1);
    ::setenv("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", 1);
    for (const auto& e : cfg.init.environment) {
        auto eq = e.find('=');
        if (eq == std::string::npos) continue;
        ::setenv(e.substr(0, eq).c_str(), e.substr(eq + 1).c_str(), 1);
    }
    CNT_TRY(security::apply_prlimits(cfg.init.prlimits));
    CNT_TRY(security::apply_proc(cfg.init.proc));
    if (a.ready) CNT_TRY(a.ready());
    CNT_TRY(send_msg(a.sync, kReady));
    CNT_TRY(a.await_start ? a.await_start(a.sync) : expect(a.sync, kExec));
    // After kExec: the monitor has moved the interfaces in, so per-device net.* keys exist.
    CNT_TRY(security::apply_sysctls(cfg.init.sysctl));
    CNT_TRY(hooks::run(cfg, config::HookType::start, a.hook_env));
    if (!cfg.init.groups.empty() || cfg.init.gid || cfg.init.uid) {
        if (::setgroups(cfg.init.groups.size(), cfg.init.groups.data()) != 0)
            return sys_error("setting supplementary groups");
    }
    if (cfg.init.gid && ::setresgid(cfg.init.gid, cfg.init.gid, cfg.init.gid) != 0)
        return sys_error(cat("setting gid ", cfg.init.gid));
    if (cfg.init.uid && ::setresuid(cfg.init.uid, cfg.init.uid, cfg.init.uid) != 0)
        return sys_error(cat("setting uid ", cfg.init.uid));
    stay_undumpable();
    if (!cfg.init.cwd.empty() && ::chdir(cfg.init.cwd.c_str()) != 0)
        return sys_error(cat("changing to lxc.init.cwd \"", cfg.init.cwd, "\""));
    if (cfg.security.no_new_privs) CNT_TRY(security::set_no_new_privs());
    // Nothing of the monitor's leaks into the container: every fd above stdio closes on exec.
    if (::syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC) != 0)
        return sys_error("marking the monitor's descriptors close-on-exec");
    // The kernel installs a seccomp filter only with no_new_privs or CAP_SYS_ADMIN: load it
    // before the capabilities are dropped.
    if (a.seccomp) CNT_TRY(a.seccomp->load());
    CNT_TRY(security::apply_caps(cfg.security.caps));
    return {};
}

}  // namespace

void init_main(const InitArgs& a) {
    // Non-dumpable until exec (the kernel resets the flag there): init holds the monitor's
    // memory and host descriptors, and the hooks it forks inherit the flag. Nothing in the
    // container (root in its user namespace, with CAP_SYS_PTRACE there) may ptrace it or open
    // its /proc/PID/{mem,exe,fd}; that takes CAP_SYS_PTRACE in the host's user namespace.
    stay_undumpable();
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    for (int s = 1; s < NSIG; ++s) ::signal(s, SIG_DFL);
    auto r = setup_all(a);
    if (!r) {
        (void)send_error(a.sync, r.error());
        ::_exit(1);
    }
    std::vector<std::string> through;
    if (a.exec_fd >= 0 && a.exec_through) {
        // cnt-init reports a failed exec of the command on the sync socket itself.
        through = {"cnt-exec", "--exec", std::to_string(a.sync), "--"};
        if (::fcntl(a.sync, F_SETFD, 0) != 0) {
            (void)send_error(a.sync, Error{errno, "keeping the sync socket open for cnt-exec", {}});
            ::_exit(1);
        }
    }
    std::vector<char*> argv;
    for (const auto& s : through) argv.push_back(const_cast<char*>(s.c_str()));
    for (const auto& s : a.argv) argv.push_back(const_cast<char*>(s.c_str()));
    argv.push_back(nullptr);
    if (a.exec_fd >= 0)
        ::syscall(SYS_execveat, a.exec_fd, "", argv.data(), environ, AT_EMPTY_PATH);
    else
        ::execvp(argv[0], argv.data());
    (void)send_error(a.sync, Error{errno, cat("executing \"", a.argv[0], "\""), {}});
    ::_exit(127);
}

}  // namespace cnt::start
