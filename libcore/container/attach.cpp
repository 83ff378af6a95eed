// Container::attach: run a command inside a running container's namespaces and cgroup, with
// the container's credentials, bounding set, no_new_privs and seccomp filter (DESIGN.md,
// threat model); the processes of cnt stay non-dumpable until the command is executed.
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
#include <sys/capability.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>
#include <fstream>
#include <map>

#include "cnt/container.hpp"
#include "cnt/log.hpp"
#include "cnt/pidfd.hpp"
#include "cnt/sealed.hpp"
#include "cnt/security.hpp"
#include "cnt/sysconf.hpp"
#include "container/attach_pty.hpp"
#include "container/sync.hpp"
#include "dev/dev.hpp"
#include "monitor/monitor.hpp"
#include "ns/ns.hpp"

namespace cnt {

namespace {

// What the attached process takes from init: /proc/<init>/status.
struct InitStatus {
    unsigned long long cap_bound = ~0ULL;
    bool no_new_privs = false;
};

InitStatus init_status(pid_t pid) {
    InitStatus s;
    std::ifstream in(cat("/proc/", pid, "/status"));
    std::string line;
    while (std::getline(in, line)) {
        if (line.rfind("CapBnd:", 0) == 0)
            s.cap_bound = std::strtoull(line.c_str() + 7, nullptr, 16);
        else if (line.rfind("NoNewPrivs:", 0) == 0)
            s.no_new_privs = std::atoi(line.c_str() + 11) != 0;
    }
    return s;
}

// The whole of a memfd the monitor shares with other clients: pread, since the file offset
// is shared by every holder of the descriptor.
Result<std::string> read_shared(int fd) {
    std::string out;
    char buf[8192];
    for (;;) {
        ssize_t n = ::pread(fd, buf, sizeof buf, static_cast<off_t>(out.size()));
        if (n < 0 && errno == EINTR) continue;
        if (n < 0) return sys_error("reading the seccomp program");
        if (n == 0) return out;
        out.append(buf, static_cast<size_t>(n));
    }
}

// The container's seccomp filter as a BPF program ("" for none): the monitor's, compiled when
// the container started; without an answer (a monitor that died, or an older one) compiled
// again from the configuration the container was started with.
Result<std::string> seccomp_program(const Container& c, const RunState& rs) {
    if (auto r = monitor::request(c.paths(), "seccomp")) {
        if (r->line == "none") return std::string();
        if (r->line == "ok" && r->fd && sealed::is_sealed(r->fd.get()))
            return read_shared(r->fd.get());
        log::debug("seccomp from the monitor: ", r->line);
    }
    CNT_ASSIGN(cfg, c.load_config(rs.config_file));
    if (cfg.security.seccomp_profile.empty()) return std::string();
    CNT_ASSIGN(filter, security::Seccomp::compile(cfg.security.seccomp_profile,
                                                  sysconf::get().rundir + "/seccomp"));
    return filter->bpf();
}

// What the attached process enters, read before the clone.
struct Target {
    pid_t init = 0;
    unique_fd pidfd;
    std::unique_ptr<cgroup::Group> group;  // none, or -e CGROUP
    InitStatus status;
    std::string seccomp;  // BPF program; "" for none or -e LSM
    bool userns = false;  // joins a user namespace of the container
};

Result<Target> open_target(const Container& c, const RunState& rs, const AttachOptions& o) {
    Target t;
    t.init = rs.init_pid;
    t.pidfd = pidfd_open(rs.init_pid);
    if (!t.pidfd) return sys_error(cat("opening init (pid ", rs.init_pid, ")"));
    if (!rs.cgroup.empty() && !(o.elevated & AttachOptions::kElevateCgroup)) {
        CNT_ASSIGN(g, cgroup::Group::reopen(rs.cgroup));
        t.group = std::move(g);
    }
    t.status = init_status(rs.init_pid);
    if (!(o.elevated & AttachOptions::kElevateLsm)) {
        CNT_ASSIGN(prog, seccomp_program(c, rs));
        t.seccomp = std::move(prog);
    }
    t.userns =
        (!o.namespaces || (o.namespaces & CLONE_NEWUSER)) && !ns::shares(rs.init_pid, "user");
    return t;
}

// The login shell of uid in the container's /etc/passwd (we are in its mount ns already).
std::string shell_of(uid_t uid) {
    std::ifstream in("/etc/passwd");
    std::string line;
    while (std::getline(in, line)) {
        std::vector<std::string> f;
        size_t pos = 0;
        for (;;) {
            auto c = line.find(':', pos);
            f.push_back(line.substr(pos, c == std::string::npos ? std::string::npos : c - pos));
            if (c == std::string::npos) break;
            pos = c + 1;
        }
        if (f.size() >= 7 && std::strtoul(f[2].c_str(), nullptr, 10) == uid && !f[6].empty())
            return f[6];
    }
    return "/bin/sh";
}

// A change of uid or gid resets the dumpable flag to fs.suid_dumpable (which may be 1): set it
// again after each one. Non-dumpable, a process can be ptraced, and its /proc/PID/{mem,exe,fd}
// opened, only with CAP_SYS_PTRACE in the host's user namespace, which the container's root
// lacks in an idmapped container.
void stay_undumpable() { ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0); }

// The child's error goes to the parent in the sync protocol's format (start::encode_error).
[[noreturn]] void fail_child(int fd, const Error& e, int code) {
    std::string m = start::encode_error(e);
    dev::write_all(fd, m.data(), m.size());
    ::_exit(code);
}

// Environment: keep ours (LXC's default) or only the kept and set ones.
void set_environment(const AttachOptions& o) {
    if (o.clear_env) {
        std::map<std::string, std::string> kept;
        for (const auto& k : o.keep_vars)
            if (const char* v = ::getenv(k.c_str())) kept[k] = v;
        ::clearenv();
        ::setenv("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", 1);
        for (const auto& [k, v] : kept) ::setenv(k.c_str(), v.c_str(), 1);
    }
    ::setenv("container", "cnt", 1);
    for (const auto& kv : o.set_vars) {
        auto eq = kv.find('=');
        if (eq == std::string::npos)
            ::setenv(kv.c_str(), "", 1);
        else
            ::setenv(kv.substr(0, eq).c_str(), kv.substr(eq + 1).c_str(), 1);
    }
}

// The bounding set limits what an exec may grant; what the process holds now (effective,
// permitted, inheritable, ambient) is cut to it as well: the fork the container can see runs
// with these until its exec.
Result<void> limit_caps(unsigned long long bound) {
    std::unique_ptr<_cap_struct, int (*)(void*)> caps(cap_get_proc(), cap_free);
    if (!caps) return sys_error("reading our capabilities");
    for (int c = 0; c <= security::last_cap(); ++c) {
        if (bound & (1ULL << c)) continue;
        cap_value_t v = c;
        for (auto set : {CAP_EFFECTIVE, CAP_PERMITTED, CAP_INHERITABLE})
            cap_set_flag(caps.get(), set, 1, &v, CAP_CLEAR);
    }
    if (cap_set_proc(caps.get()) != 0)
        return sys_error("limiting our capabilities to init's bounding set");
    ::prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_CLEAR_ALL, 0, 0, 0);
    return {};
}

// The container's restrictions, then its user, as init took them (security.hpp, apply_caps):
// a seccomp filter is installed only with no_new_privs or CAP_SYS_ADMIN, and lowering the
// bounding set needs CAP_SETPCAP; both are gone after a setuid away from root.
Result<void> restrict_and_become(const Target& t, const AttachOptions& o) {
    const bool lsm = !(o.elevated & AttachOptions::kElevateLsm);
    if (lsm && t.status.no_new_privs) CNT_TRY(security::set_no_new_privs());
    if (lsm && !t.seccomp.empty()) CNT_TRY(security::load_bpf(t.seccomp));
    if (!(o.elevated & AttachOptions::kElevateCap))
        for (int c = 0; c < 64; ++c)
            if (!(t.status.cap_bound & (1ULL << c)) && ::prctl(PR_CAPBSET_DROP, c, 0, 0, 0) != 0 &&
                errno != EINVAL)
                return sys_error(cat("dropping capability ", c, " from the bounding set"));
    // The caller's supplementary groups are host groups: none is kept.
    if (::setgroups(0, nullptr) != 0) return sys_error("dropping supplementary groups");
    if (gid_t g = o.gid.value_or(0); (o.gid || t.userns) && ::setresgid(g, g, g) != 0)
        return sys_error(cat("setting gid ", g));
    if (uid_t u = o.uid.value_or(0); (o.uid || t.userns) && ::setresuid(u, u, u) != 0)
        return sys_error(cat("setting uid ", u));
    if (!(o.elevated & AttachOptions::kElevateCap)) CNT_TRY(limit_caps(t.status.cap_bound));
    stay_undumpable();
    return {};
}

// Joined the container's user namespace, still host root: become its root (the kernel keeps
// our capabilities, now over that namespace, for a setuid to the namespace's root).
Result<void> become_ns_root() {
    if (::setresgid(0, 0, 0) != 0 || ::setresuid(0, 0, 0) != 0)
        return sys_error("becoming root in the container's user namespace");
    stay_undumpable();
    return {};
}

struct Terminal {
    std::optional<winsize> size;
    std::optional<termios> modes;
    unique_fd mine, theirs;  // the master's way back to us
    std::optional<dev::SignalFd> sigs;
};

Result<void> open_terminal(Terminal& t) {
    t.size = dev::get_winsize(STDIN_FILENO);
    if (termios m{}; ::tcgetattr(STDIN_FILENO, &m) == 0) t.modes = m;
    int sv[2];
    if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
        return sys_error("creating a socket pair");
    t.mine.reset(sv[0]);
    t.theirs.reset(sv[1]);
    // Blocked before the fork so that no resize is lost before the relay runs.
    t.sigs.emplace(attach_pty::kSignals);
    return {};
}

// The clone: joins the cgroups then the namespaces, takes the container's restrictions and
// user, forks into the container's pid namespace (a new one applies to children only) and
// waits there for the command. The process the container can see (the fork, until its exec)
// so has no more privileges than the container's root from its first instruction: in a
// privileged container, whose root holds CAP_SYS_PTRACE over the host, non-dumpable alone
// would not keep it from being traced.
[[noreturn]] void attach_child(Target& t, const AttachOptions& o, cgroup::SelfJoin& join,
                               bool in_cgroup, Terminal& term, int err) {
    term.mine.reset();
    sigset_t none;
    sigemptyset(&none);
    ::sigprocmask(SIG_SETMASK, &none, nullptr);
    // Cgroup before namespaces: the host's cgroup paths are what Group knows.
    if (t.group)
        if (auto r = join.join(in_cgroup); !r) fail_child(err, r.error(), 1);
    if (auto r = ns::join(t.init, t.pidfd.get(), o.namespaces); !r) fail_child(err, r.error(), 1);
    // Host descriptors the container has no use for, gone before it can see us.
    join = {};
    t.pidfd.reset();
    if (t.userns)
        if (auto r = become_ns_root(); !r) fail_child(err, r.error(), 1);
    if (auto r = restrict_and_become(t, o); !r) fail_child(err, r.error(), 1);
    pid_t gc = ::fork();
    if (gc < 0) fail_child(err, Error{errno, "forking into the container", {}}, 1);
    if (gc > 0) {
        ::close(err);
        int st = 0;
        ::signal(SIGINT, SIG_IGN);
        ::signal(SIGQUIT, SIG_IGN);
        while (::waitpid(gc, &st, 0) < 0 && errno == EINTR) {
        }
        ::_exit(WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
    }
    if (::chdir("/") != 0) {
    }
    if (term.theirs) {
        auto r =
            attach_pty::setup_child(std::move(term.theirs), term.size ? &*term.size : nullptr,
                                    term.modes ? &*term.modes : nullptr, o.uid ? &*o.uid : nullptr);
        if (!r) fail_child(err, r.error(), 1);
    }
    set_environment(o);
    std::vector<std::string> cmd = o.command;
    if (cmd.empty()) cmd = {shell_of(o.uid.value_or(0))};
    std::vector<char*> argv;
    for (auto& s : cmd) argv.push_back(s.data());
    argv.push_back(nullptr);
    ::execvp(argv[0], argv.data());
    fail_child(err, Error{errno, cat("executing \"", cmd[0], "\""), {}}, 127);
}

// The relay of a terminal session; 128+N when a signal ended it, 0 otherwise.
int relay_terminal(Terminal& term, int child_pidfd) {
    // EOF instead of a master: the child failed before it had a pty; its pipe says why.
    auto master = dev::recv_fd(term.mine.get());
    if (master && *master) {
        int sig = 0;
        {
            dev::RawTerminal raw(STDIN_FILENO, dev::RawTerminal::Mode::relay);
            if (child_pidfd >= 0) sig = attach_pty::relay(master->get(), child_pidfd, *term.sigs);
        }
        if (sig) {
            // Our terminal is back to normal; closing the master hangs the pty up, which
            // sends SIGHUP to the command as when a terminal goes away. It is not waited for.
            log::notice("terminal relay ended by signal ", sig);
            return 128 + sig;
        }
    }
    term.sigs.reset();
    return 0;
}

// The command's status, or the child's own error (127: it could not exec).
Result<int> reap(pid_t child, int err) {
    std::string msg = store::read_fd(err).value_or(std::string());
    int st = 0;
    while (::waitpid(child, &st, 0) < 0)
        if (errno != EINTR) return sys_error("waiting for the attached command");
    int code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    if (msg.empty()) return code;
    Error e = start::decode_error(msg).value_or(Error{0, msg, {}});
    if (code != 127) return std::unexpected(std::move(e));
    log::error(e.message());
    return 127;
}

}  // namespace

Result<int> Container::attach(const AttachOptions& o) {
    // An unusable run-state file says so (and how to stop the container), not "not running".
    CNT_ASSIGN(rs, read_run_state());
    if (!rs || !rs->init_alive()) return error("is not running");
    // Before anything of the container is near: every process of ours from here on (the
    // clone, the one waiting in the container, the command until its exec) inherits it.
    stay_undumpable();
    CNT_ASSIGN(target, open_target(*this, *rs, o));
    Terminal term;
    if (o.terminal) CNT_TRY(open_terminal(term));
    // The child is born in the v2 leaf and moves itself into the v1 hierarchies, as init
    // does (cgroup::SelfJoin): no pid written into a cgroup.procs, no wait for the kernel's
    // system-wide lock.
    cgroup::SelfJoin join;
    int cg_fd = -1;
    if (target.group) {
        CNT_ASSIGN(j, target.group->self_join());
        join = std::move(j);
        cg_fd = target.group->clone_fd();
    }
    int p[2];
    if (::pipe2(p, O_CLOEXEC) != 0) return sys_error("creating a pipe");
    unique_fd rd(p[0]), wr(p[1]);
    CNT_ASSIGN(made, ns::clone_child(0, cg_fd, "the attached process"));
    if (made.pid == 0) {
        rd.reset();
        attach_child(target, o, join, made.in_cgroup, term, wr.get());
    }
    wr.reset();
    term.theirs.reset();
    join = {};
    if (o.terminal)
        if (int sig = relay_terminal(term, made.pidfd ? made.pidfd.get() : -1)) return sig;
    return reap(made.pid, rd.get());
}

// cnt-attach runs from a sealed copy of its binary (CVE-2019-5736): the monitor's, made once
// for every attach of this container; a private one when no monitor answers.
Result<void> Container::reexec_sealed(char* const* argv) const {
    if (sealed::running_sealed()) return {};
    // Nothing will enter a container that is not running: attach says so.
    auto rs = run_state();
    if (!rs || !rs->init_alive()) return {};
    unique_fd self(::open("/proc/self/exe", O_RDONLY | O_CLOEXEC));
    struct stat st {};
    if (!self || ::fstat(self.get(), &st) != 0)
        return sys_error("opening our own binary (/proc/self/exe)");
    unique_fd copy;
    char path[4096];
    ssize_t n = ::readlink("/proc/self/exe", path, sizeof path - 1);
    if (n > 0 && path[0] == '/') {
        std::string req = cat("exe ", sealed::format(sealed::file_id(st)), ' ',
                              std::string_view(path, static_cast<size_t>(n)));
        if (auto r = monitor::request(paths_, req);
            r && r->line == "ok" && r->fd && sealed::is_sealed(r->fd.get()))
            copy = std::move(r->fd);
        else if (r)
            log::debug("sealed binary from the monitor: ", r->line);
    }
    if (!copy) {
        CNT_ASSIGN(mine, sealed::copy(self.get(), "cnt-attach"));
        copy = std::move(mine);
    }
    return std::unexpected(sealed::exec(copy.get(), argv));
}

}  // namespace cnt
