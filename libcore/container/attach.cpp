// Container::attach: run a command inside a running container's namespaces and cgroup.
#include <fcntl.h>
#include <grp.h>
#include <sched.h>
#include <signal.h>
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
#include "container/attach_pty.hpp"
#include "dev/dev.hpp"
#include "ns/ns.hpp"

namespace cnt {

namespace {

unsigned long long cap_bound(pid_t pid) {
    std::ifstream in(cat("/proc/", pid, "/status"));
    std::string line;
    while (std::getline(in, line))
        if (line.rfind("CapBnd:", 0) == 0) return std::strtoull(line.c_str() + 7, nullptr, 16);
    return ~0ULL;
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
        if (f.size() >= 7 && std::strtoul(f[2].c_str(), nullptr, 10) == uid && !f[6].empty()) return f[6];
    }
    return "/bin/sh";
}

[[noreturn]] void fail_child(int fd, const Error& e, int code) {
    std::string m = cat(code, "\t", e.message());
    dev::write_all(fd, m.data(), m.size());
    ::_exit(code);
}

}  // namespace

Result<int> Container::attach(const AttachOptions& o) {
    auto rs = run_state();
    if (!rs || !rs->init_alive()) return error("is not running");
    unique_fd pidfd(static_cast<int>(::syscall(SYS_pidfd_open, rs->init_pid, 0)));
    if (!pidfd) return sys_error(cat("opening init (pid ", rs->init_pid, ")"));
    std::unique_ptr<cgroup::Group> group;
    if (!rs->cgroup.empty()) {
        CNT_ASSIGN(g, cgroup::Group::reopen(rs->cgroup));
        group = std::move(g);
    }
    unsigned long long bound = cap_bound(rs->init_pid);
    pid_t init = rs->init_pid;

    // With a terminal: what the command's pty starts with, and the master's way back to us.
    std::optional<winsize> size;
    std::optional<termios> modes;
    unique_fd pty_mine, pty_theirs;
    std::optional<dev::SignalFd> sigs;
    if (o.terminal) {
        size = dev::get_winsize(STDIN_FILENO);
        if (termios t{}; ::tcgetattr(STDIN_FILENO, &t) == 0) modes = t;
        int sv[2];
        if (::socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, sv) != 0)
            return sys_error("creating a socket pair");
        pty_mine.reset(sv[0]);
        pty_theirs.reset(sv[1]);
        // Blocked before the fork so that no resize is lost before the relay runs.
        sigs.emplace(attach_pty::kSignals);
    }

    // The child is born in the v2 leaf and moves itself into the v1 hierarchies, as init
    // does (cgroup::SelfJoin): no pid written into a cgroup.procs, no wait for the kernel's
    // system-wide lock.
    cgroup::SelfJoin join;
    int cg_fd = -1;
    if (group) {
        CNT_ASSIGN(j, group->self_join());
        join = std::move(j);
        cg_fd = group->clone_fd();
    }
    int p[2];
    if (::pipe2(p, O_CLOEXEC) != 0) return sys_error("creating a pipe");
    unique_fd rd(p[0]), wr(p[1]);
    CNT_ASSIGN(made, ns::clone_child(0, cg_fd, "the attached process"));
    pid_t child = made.pid;
    if (child == 0) {
        rd.reset();
        pty_mine.reset();
        sigset_t none;
        sigemptyset(&none);
        ::sigprocmask(SIG_SETMASK, &none, nullptr);
        // Cgroup before namespaces: the host's cgroup paths are what Group knows.
        if (group)
            if (auto r = join.join(made.in_cgroup); !r) fail_child(wr.get(), r.error(), 1);
        if (auto r = ns::join(init, pidfd.get(), o.namespaces); !r) fail_child(wr.get(), r.error(), 1);
        // A new pid namespace applies to children only.
        pid_t gc = ::fork();
        if (gc < 0) fail_child(wr.get(), Error{errno, "forking into the container", {}}, 1);
        if (gc > 0) {
            wr.reset();
            int st = 0;
            ::signal(SIGINT, SIG_IGN);
            ::signal(SIGQUIT, SIG_IGN);
            while (::waitpid(gc, &st, 0) < 0 && errno == EINTR) {}
            ::_exit(WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st));
        }
        if (::chdir("/") != 0) {}
        if (pty_theirs) {
            auto r = attach_pty::setup_child(std::move(pty_theirs), size ? &*size : nullptr,
                                             modes ? &*modes : nullptr, o.uid ? &*o.uid : nullptr);
            if (!r) fail_child(wr.get(), r.error(), 1);
        }
        // Environment: keep ours (LXC's default) or only the kept and set ones.
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
            if (eq == std::string::npos) ::setenv(kv.c_str(), "", 1);
            else ::setenv(kv.substr(0, eq).c_str(), kv.substr(eq + 1).c_str(), 1);
        }
        if (!o.elevated) {
            // Nothing more than init may ever have.
            for (int c = 0; c < 64; ++c)
                if (!(bound & (1ULL << c))) ::prctl(PR_CAPBSET_DROP, c, 0, 0, 0);
        }
        if (o.gid) {
            if (::setgroups(0, nullptr) != 0 || ::setresgid(*o.gid, *o.gid, *o.gid) != 0)
                fail_child(wr.get(), Error{errno, cat("setting gid ", *o.gid), {}}, 1);
        }
        if (o.uid && ::setresuid(*o.uid, *o.uid, *o.uid) != 0)
            fail_child(wr.get(), Error{errno, cat("setting uid ", *o.uid), {}}, 1);
        std::vector<std::string> cmd = o.command;
        if (cmd.empty()) cmd = {shell_of(o.uid.value_or(0))};
        std::vector<char*> argv;
        for (auto& s : cmd) argv.push_back(s.data());
        argv.push_back(nullptr);
        ::execvp(argv[0], argv.data());
        fail_child(wr.get(), Error{errno, cat("executing \"", cmd[0], "\""), {}}, 127);
    }
    wr.reset();
    pty_theirs.reset();
    join = {};
    if (o.terminal) {
        // EOF instead of a master: the child failed before it had a pty; its pipe says why.
        auto master = dev::recv_fd(pty_mine.get());
        if (master && *master) {
            int sig = 0;
            {
                dev::RelayTerminal raw(STDIN_FILENO);
                if (made.pidfd) sig = attach_pty::relay(master->get(), made.pidfd.get(), *sigs);
            }
            if (sig) {
                // Our terminal is back to normal; closing the master hangs the pty up, which
                // sends SIGHUP to the command as when a terminal goes away. It is not waited for.
                log::notice("terminal relay ended by signal ", sig);
                return 128 + sig;
            }
        }
        sigs.reset();
    }
    std::string msg = store::read_fd(rd.get()).value_or(std::string());
    int st = 0;
    while (::waitpid(child, &st, 0) < 0)
        if (errno != EINTR) return sys_error("waiting for the attached command");
    int code = WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
    if (!msg.empty()) {
        auto t = msg.find('\t');
        std::string text = t == std::string::npos ? msg : msg.substr(t + 1);
        if (code == 127) {
            log::error(text);
            return 127;
        }
        return error(text);
    }
    return code;
}

}  // namespace cnt
