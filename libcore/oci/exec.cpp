// `exec`: a new process in a running container. A helper joins the container's cgroups and
// namespaces and clones the process as this process's child (CLONE_PARENT), in the
// container's pid namespace, so that the caller (or, with --detach, the subreaper above it)
// waits for it; it takes the container's credentials, limits, seccomp filter and capabilities,
// non-dumpable until its exec.
#include <fcntl.h>
#include <grp.h>
#include <linux/close_range.h>
#include <sched.h>
#include <signal.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <termios.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

#include "base/fd_passing.hpp"
#include "cnt/cgroup.hpp"
#include "cnt/oci.hpp"
#include "cnt/security.hpp"
#include "container/start_internal.hpp"
#include "ns/ns.hpp"

namespace cnt::oci {

namespace {

struct Plan {
    Spec spec;
    State st;
    std::unique_ptr<security::Seccomp> seccomp;
    cgroup::SelfJoin join;
    unique_fd pidfd;
};

Result<void> apply_options(const ExecOptions& o, Spec& s) {
    if (!o.process_file.empty()) {
        auto text = store::read_input(o.process_file, 4 << 20);
        if (!text) return sys_error(cat("reading \"", o.process_file, "\""), text.error().err);
        return apply_process(*text, s);
    }
    s.args = o.args;
    s.terminal = o.tty;
    if (!o.cwd.empty()) s.cfg.init.cwd = o.cwd;
    for (const auto& e : o.env) s.cfg.init.environment.push_back(e);
    if (!o.user.empty()) {
        auto colon = o.user.find(':');
        s.cfg.init.uid = static_cast<uid_t>(std::atoi(o.user.substr(0, colon).c_str()));
        s.cfg.init.gid = colon == std::string::npos
                             ? 0
                             : static_cast<gid_t>(std::atoi(o.user.substr(colon + 1).c_str()));
        if (s.cfg.init.uid != 0) s.cfg.security.caps.list.clear();
    }
    return {};
}

Result<Plan> plan(const std::string& root, const std::string& id, const ExecOptions& o) {
    Plan p;
    CNT_ASSIGN(st, read_state(root, id));
    if (st.status() != "running") return error("cannot exec in a stopped container");
    std::string dir = state_dir(root, id);
    auto text = store::read_input(dir + "/config.json", 4 << 20);
    if (!text) return sys_error(cat("reading \"", dir, "/config.json\""), text.error().err);
    CNT_ASSIGN(spec, parse_spec(*text, st.bundle));
    p.spec = std::move(spec);
    CNT_TRY(apply_options(o, p.spec));
    if (p.spec.terminal && o.console_socket.empty())
        return error("a terminal needs --console-socket");
    if (!p.spec.seccomp.empty()) {
        CNT_ASSIGN(sc, security::Seccomp::compile(dir + "/seccomp"));
        p.seccomp = std::move(sc);
    }
    CNT_ASSIGN(g, cgroup::Group::reopen(st.cgroup));
    CNT_ASSIGN(j, g.self_join());
    p.join = std::move(j);
    int fd = static_cast<int>(::syscall(SYS_pidfd_open, st.pid, 0));
    if (fd < 0) return sys_error("opening init (pidfd_open)");
    p.pidfd.reset(fd);
    p.st = std::move(st);
    return p;
}

// The console socket, connected before the helper enters the container (a host path).
Result<unique_fd> connect_console(const std::string& console_socket) {
    unique_fd sock(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    sockaddr_un a{};
    a.sun_family = AF_UNIX;
    std::strncpy(a.sun_path, console_socket.c_str(), sizeof a.sun_path - 1);
    if (!sock || ::connect(sock.get(), reinterpret_cast<sockaddr*>(&a), sizeof a) != 0)
        return sys_error(cat("connecting to the console socket \"", console_socket, "\""));
    return sock;
}

// In the container (after setns): a pty of its devpts, the master sent to the console socket.
Result<unique_fd> container_pty(int sock) {
    unique_fd m(::open("/dev/ptmx", O_RDWR | O_NOCTTY | O_CLOEXEC));
    if (!m) return sys_error("opening /dev/ptmx in the container");
    if (::unlockpt(m.get()) != 0) return sys_error("unlocking the pty");
    int n = 0;
    if (::ioctl(m.get(), TIOCGPTN, &n) != 0) return sys_error("naming the pty");
    unique_fd s(::open(cat("/dev/pts/", n).c_str(), O_RDWR | O_NOCTTY | O_CLOEXEC));
    if (!s) return sys_error("opening the pty's slave");
    const int fds[] = {m.get()};
    CNT_TRY(send_fds(sock, fds, cat("/dev/pts/", n), "sending the console"));
    return s;
}

Result<void> become(const Plan& p, int tty) {
    const auto& cfg = p.spec.cfg;
    if (tty >= 0) {
        ::setsid();
        if (::ioctl(tty, TIOCSCTTY, 0) != 0) return sys_error("taking the terminal");
        for (int i = 0; i < 3; ++i) ::dup2(tty, i);
    }
    ::clearenv();
    for (const auto& e : cfg.init.environment) ::putenv(const_cast<char*>(e.c_str()));
    CNT_TRY(security::apply_prlimits(cfg.init.prlimits));
    CNT_TRY(security::apply_proc(cfg.init.proc));
    if (::setgroups(cfg.init.groups.size(), cfg.init.groups.data()) != 0)
        return sys_error("setting supplementary groups");
    if (cfg.security.no_new_privs) CNT_TRY(security::set_no_new_privs());
    if (p.seccomp) CNT_TRY(p.seccomp->load());
    CNT_TRY(security::drop_bounding_set(cfg.security.caps));
    if (::setresgid(cfg.init.gid, cfg.init.gid, cfg.init.gid) != 0)
        return sys_error(cat("setting gid ", cfg.init.gid));
    if (::setresuid(cfg.init.uid, cfg.init.uid, cfg.init.uid) != 0)
        return sys_error(cat("setting uid ", cfg.init.uid));
    ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    if (!cfg.init.cwd.empty() && ::chdir(cfg.init.cwd.c_str()) != 0)
        return sys_error(cat("changing to \"", cfg.init.cwd, "\""));
    ::umask(p.spec.umask.value_or(022));
    if (::syscall(SYS_close_range, 3U, ~0U, CLOSE_RANGE_CLOEXEC) != 0)
        return sys_error("marking descriptors close-on-exec");
    return security::apply_caps(cfg.security.caps);
}

// The helper: joins, clones the process as our parent's child, reports its pid, exits.
[[noreturn]] void helper(const Plan& p, const ExecOptions& o, int report) {
    auto fail = [&](const Error& e) {
        (void)start::send_error(report, e);
        ::_exit(1);
    };
    // Non-dumpable before anything of the container is joined; the process inherits it.
    ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    unique_fd console;
    if (p.spec.terminal) {
        auto c = connect_console(o.console_socket);
        if (!c) fail(c.error());
        console = std::move(*c);
    }
    if (auto r = p.join.join(false); !r) fail(r.error());
    if (auto r = ns::join(p.st.pid, p.pidfd.get(), 0); !r) fail(r.error());
    unique_fd tty;
    if (p.spec.terminal) {
        auto t = container_pty(console.get());
        if (!t) fail(t.error());
        tty = std::move(*t);
    }
    auto child = ns::clone_child(CLONE_PARENT, -1, "the exec'd process");
    if (!child) fail(child.error());
    if (child->pid == 0) {
        ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
        if (auto r = become(p, tty.get()); !r) fail(r.error());
        std::vector<char*> argv;
        for (const auto& a : p.spec.args) argv.push_back(const_cast<char*>(a.c_str()));
        argv.push_back(nullptr);
        ::execvp(argv[0], argv.data());
        fail(Error{errno, cat("executing \"", p.spec.args[0], "\""), {}});
    }
    (void)start::send_msg(report, cat("pid\t", child->pid));
    ::_exit(0);
}

// The helper's report: the process's pid, or its error. The process's own exec failure
// arrives later on the same socket (its end closes on a successful exec).
Result<pid_t> spawn(const Plan& p, const ExecOptions& o) {
    int sv[2];
    if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0)
        return sys_error("creating the exec socket");
    unique_fd mine(sv[0]), theirs(sv[1]);
    pid_t h = ::fork();
    if (h < 0) return sys_error("forking");
    if (h == 0) {
        mine.reset();
        helper(p, o, theirs.get());
    }
    theirs.reset();
    ::waitpid(h, nullptr, 0);
    CNT_ASSIGN(m, start::recv_msg(mine.get(), "the exec'd process"));
    if (auto e = start::decode_error(m)) return std::unexpected(std::move(*e));
    if (m.rfind("pid\t", 0) != 0) return errno_error(EPROTO, "exec: no process was made");
    pid_t pid = std::atoi(m.c_str() + 4);
    CNT_ASSIGN(after, start::recv_msg(mine.get(), "the exec"));
    if (auto e = start::decode_error(after)) {
        ::waitpid(pid, nullptr, 0);
        return std::unexpected(std::move(*e));
    }
    return pid;
}

}  // namespace

Result<int> exec(const std::string& root, const std::string& id, const ExecOptions& o) {
    CNT_ASSIGN(p, plan(root, id, o));
    CNT_ASSIGN(pid, spawn(p, o));
    if (!o.pid_file.empty()) CNT_TRY(store::write_volatile(o.pid_file, std::to_string(pid), 0644));
    if (o.detach) return 0;
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return WEXITSTATUS(status);
}

}  // namespace cnt::oci
