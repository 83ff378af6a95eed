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

#include "base/fd_passing.hpp"
#include "cnt/container.hpp"
#include "cnt/log.hpp"
#include "cnt/pidfd.hpp"
#include "cnt/sealed.hpp"
#include "cnt/security.hpp"
#include "cnt/sysconf.hpp"
#include "commands/commands.hpp"
#include "container/attach_child.hpp"
#include "container/attach_pty.hpp"
#include "container/sync.hpp"
#include "ns/ns.hpp"
#include "pty/pty.hpp"

namespace cnt {

namespace {

using attach::InitStatus;
using attach::stay_undumpable;
using attach::Target;
using attach::Terminal;

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
    if (auto r = commands::request(c.paths(), "seccomp")) {
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

Result<void> open_terminal(Terminal& t) {
    t.size = pty::get_winsize(STDIN_FILENO);
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

// The relay of a terminal session; 128+N when a signal ended it, 0 otherwise.
int relay_terminal(Terminal& term, int child_pidfd) {
    // EOF instead of a master: the child failed before it had a pty; its pipe says why.
    auto master = recv_fd(term.mine.get());
    if (master && *master) {
        int sig = 0;
        {
            pty::RawTerminal raw(STDIN_FILENO, pty::RawTerminal::Mode::relay);
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
        attach::attach_child(target, o, join, made.in_cgroup, term, wr.get());
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
        if (auto r = commands::request(paths_, req);
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
