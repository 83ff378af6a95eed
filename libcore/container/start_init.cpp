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

#include "cnt/net.hpp"
#include "container/start_internal.hpp"
#include "dev/dev.hpp"
#include "rootfs/rootfs.hpp"

namespace cnt::start {

namespace {

// A change of uid or gid resets the dumpable flag to fs.suid_dumpable (which may be 1): set
// it again, so init stays non-dumpable until its exec.
void stay_undumpable() { ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0); }

// Before anything else: the namespaces shared with other containers.
Result<void> join_shared(const InitArgs& a) {
    if (a.send_ns) CNT_TRY(send_ns(a.sync));
    if (a.shared && !a.shared->empty()) {
        CNT_TRY(a.shared->join_in_child());
        // Joined, not created: become root of the user namespace we now live in.
        if ((a.shared->mask() & CLONE_NEWUSER) &&
            (::setresgid(0, 0, 0) != 0 || ::setresuid(0, 0, 0) != 0))
            return sys_error("becoming root in the shared user namespace");
        stay_undumpable();
    }
    return {};
}

// The monitor's "setup" (id maps written, cgroups made) is awaited at the first step that
// needs it: without a user namespace init builds its filesystem while the monitor makes
// the cgroups, and joins them before its first step inside the new root (or its first
// hook, or a cgroup mount). Everything from there on is limited and accounted like the
// payload; what came before is mounts in init's own namespace and the /dev nodes.
struct MonitorSetup {
    explicit MonitorSetup(const InitArgs& args) : a(args) {}
    const InitArgs& a;
    bool done = false;
    std::vector<cgroup::Placement> cgroups;  // for lxc.mount.auto's cgroup forms
    unique_fd idmapped;                      // the rootfs through an idmapped mount
    unique_fd premade_dev;                   // the /dev tmpfs the monitor made

    Result<void> take() {
        if (done) return {};
        done = true;
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
    }

    // Hooks run inside the container's cgroups and namespaces, as LXC runs them.
    Result<void> hook(config::HookType t) {
        if (a.cfg->hooks.of(t).empty()) return {};
        CNT_TRY(take());
        return hooks::run(*a.cfg, t, a.hook_env);
    }
};

// The root init will live in (its descriptor in `rootfd`, or the host's "/" in `host_root`
// when there is no rootfs): mounts, /dev and their hooks, then the pivot.
Result<void> build_root(const InitArgs& a, MonitorSetup& st, unique_fd& rootfd,
                        unique_fd& host_root) {
    const auto& cfg = *a.cfg;
    const auto ro = rootfs::root_options(cfg);
    CNT_ASSIGN(prepared, rootfs::prepare(cfg, a.store, ro, a.store_root));
    rootfd = std::move(prepared);
    // Nothing works in a new user namespace before its id maps exist.
    if (a.clone_flags & CLONE_NEWUSER) CNT_TRY(st.take());
    if (st.idmapped) {
        CNT_ASSIGN(m, rootfs::attach_idmapped(cfg, ro, rootfd.get(), std::move(st.idmapped)));
        rootfd = std::move(m);
    }
    // No rootfs: the host's own "/", in init's private mount namespace.
    if (!rootfd) host_root.reset(::open("/", O_PATH | O_DIRECTORY | O_CLOEXEC));
    const int root = rootfd ? rootfd.get() : host_root.get();
    if (root < 0) return sys_error("opening /");
    CNT_TRY(st.hook(config::HookType::pre_mount));
    CNT_TRY(rootfs::mount_all(cfg, root, st.cgroups, [&st] { return st.take(); }));
    CNT_TRY(st.hook(config::HookType::mount));
    CNT_TRY(dev::setup(cfg, root, *a.ptys, std::move(st.premade_dev)));
    CNT_TRY(st.hook(config::HookType::autodev));
    if (rootfd) {
        CNT_TRY(rootfs::seal(ro, root));
        CNT_TRY(rootfs::pivot(root));
    }
    return {};
}

// Inside the new root: lo, the hostname, stdio on the console (or /dev/null), the
// environment.
Result<void> settle_in(const InitArgs& a) {
    const auto& cfg = *a.cfg;
    if (a.lo_up) CNT_TRY(net::loopback_up());
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
    return {};
}

// After kExec: the sysctls, the start hook, then the payload's ids, directory and limits on
// what it may do, the seccomp filter last but the capabilities.
Result<void> become_payload(const InitArgs& a) {
    const auto& cfg = *a.cfg;
    // The monitor has moved the interfaces in, so per-device net.* keys exist.
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

Result<void> setup_all(const InitArgs& a) {
    CNT_TRY(join_shared(a));
    MonitorSetup st(a);
    unique_fd rootfd, host_root;
    CNT_TRY(build_root(a, st, rootfd, host_root));
    CNT_TRY(st.take());
    CNT_TRY(settle_in(a));
    CNT_TRY(security::apply_prlimits(a.cfg->init.prlimits));
    CNT_TRY(security::apply_proc(a.cfg->init.proc));
    if (a.ready) CNT_TRY(a.ready());
    CNT_TRY(send_msg(a.sync, kReady));
    CNT_TRY(a.await_start ? a.await_start(a.sync) : expect(a.sync, kExec));
    return become_payload(a);
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
