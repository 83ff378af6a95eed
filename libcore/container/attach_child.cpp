// The child side of cnt-attach: joins the container's cgroup and namespaces, takes the
// container's credentials, bounding set, no_new_privs and seccomp filter (DESIGN.md, threat
// model) and execs the command; it stays non-dumpable until then.
#include "container/attach_child.hpp"

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

#include "base/fd_util.hpp"
#include "cnt/container.hpp"
#include "cnt/log.hpp"
#include "cnt/pidfd.hpp"
#include "cnt/sealed.hpp"
#include "cnt/security.hpp"
#include "cnt/sysconf.hpp"
#include "container/attach_pty.hpp"
#include "container/sync.hpp"
#include "ns/ns.hpp"

namespace cnt::attach {

namespace {

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

// The child's error goes to the parent in the sync protocol's format (start::encode_error).
[[noreturn]] void fail_child(int fd, const Error& e, int code) {
    std::string m = start::encode_error(e);
    write_all(fd, m.data(), m.size());
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

}  // namespace

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

}  // namespace cnt::attach
