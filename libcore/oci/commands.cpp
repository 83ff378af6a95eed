// start, run, kill, delete, pause, resume, ps, events --stats, update: each reads the state
// directory, checks init is still the process `create` made, then acts on it or its cgroup.
#include <fcntl.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/syscall.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstring>

#include "cnt/cgroup.hpp"
#include "cnt/log.hpp"
#include "cnt/oci.hpp"
#include "container/start_internal.hpp"
#include "oci/init.hpp"
#include "oci/json.hpp"

namespace cnt::oci {

namespace {

Result<cgroup::Group> group_of(const State& st) { return cgroup::Group::reopen(st.cgroup); }

Result<unique_fd> connect_start(const std::string& path) {
    unique_fd s(::socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0));
    if (!s) return sys_error("creating a socket");
    sockaddr_un a{};
    a.sun_family = AF_UNIX;
    if (path.size() >= sizeof a.sun_path) return errno_error(ENAMETOOLONG, path);
    std::strcpy(a.sun_path, path.c_str());
    if (::connect(s.get(), reinterpret_cast<sockaddr*>(&a), sizeof a) != 0)
        return sys_error(cat("connecting to init's start socket \"", path, "\""));
    return s;
}

// The copy of config.json `create` kept (the bundle may be gone by `delete`).
Result<Spec> load_spec_copy(const std::string& root, const State& st) {
    std::string file = state_dir(root, st.id) + "/config.json";
    auto text = store::read_input(file, 4 << 20);
    if (!text) return sys_error(cat("reading \"", file, "\""), text.error().err);
    return parse_spec(*text, st.bundle);
}

Result<void> poststart(const std::string& root, const State& st) {
    auto spec = load_spec_copy(root, st);
    if (!spec) return std::unexpected(spec.error());
    // The spec: a failing poststart hook is logged, the container runs on.
    if (auto r = run_hooks(spec->hooks.poststart, state_json(st, "running"), "poststart"); !r)
        log::warn(r.error().message());
    return {};
}

}  // namespace

Result<void> start(const std::string& root, const std::string& id) {
    CNT_ASSIGN(st, read_state(root, id));
    if (!st.alive()) return error("cannot start a container that has stopped");
    if (st.started) return error("cannot start an already running container");
    CNT_ASSIGN(sock, connect_start(state_dir(root, id) + "/start.sock"));
    CNT_TRY(start::send_msg(sock.get(), cat(kStartMsg, "\t", state_json(st, "created"))));
    // EOF: init's end (close-on-exec) went with its exec; a message: what failed before.
    CNT_ASSIGN(m, start::recv_msg(sock.get(), "the exec"));
    if (!m.empty()) {
        if (auto e = start::decode_error(m)) return std::unexpected(std::move(*e));
        return errno_error(EPROTO, cat("sync: expected the exec, got \"", m, "\""));
    }
    ::unlink((state_dir(root, id) + "/start.sock").c_str());
    st.started = true;
    CNT_TRY(write_state(root, st));
    return poststart(root, st);
}

Result<void> kill(const std::string& root, const std::string& id, int sig, bool all) {
    CNT_ASSIGN(st, read_state(root, id));
    if (!st.alive()) return errno_error(ESRCH, "container not running");
    if (all) {
        CNT_ASSIGN(g, group_of(st));
        CNT_ASSIGN(pids, g.pids());
        for (pid_t p : pids) ::kill(p, sig);
        return {};
    }
    // Through a pidfd: the pid cannot have been reused since the check above.
    int fd = static_cast<int>(::syscall(SYS_pidfd_open, st.pid, 0));
    if (fd < 0) return sys_error("opening init (pidfd_open)");
    unique_fd pidfd(fd);
    if (::syscall(SYS_pidfd_send_signal, fd, sig, nullptr, 0) != 0)
        return sys_error(cat("sending signal ", sig, " to init"));
    return {};
}

Result<void> remove(const std::string& root, const std::string& id, bool force) {
    auto rs = read_state(root, id);
    if (!rs) {
        if (force && rs.error().err == ENOENT) return {};
        return std::unexpected(rs.error());
    }
    State st = std::move(*rs);
    std::string status = st.status();
    if (status != "stopped" && status != "created" && !force)
        return errno_error(EBUSY,
                           cat("cannot delete container ", id, " that is not stopped: ", status));
    CNT_ASSIGN(g, group_of(st));
    if (status != "stopped") {
        (void)g.thaw(std::chrono::milliseconds(2000));
        (void)g.kill_all();
    }
    CNT_TRY(g.destroy());
    if (status != "created" || st.started) {
        if (auto spec = load_spec_copy(root, st); spec) {
            if (auto r = run_hooks(spec->hooks.poststop, state_json(st, "stopped"), "poststop"); !r)
                log::warn(r.error().message());
        }
    }
    std::string dir = state_dir(root, id);
    for (auto f : {"/start.sock", "/seccomp", "/config.json", "/state.json"})
        ::unlink((dir + f).c_str());
    if (::rmdir(dir.c_str()) != 0) return sys_error(cat("removing \"", dir, "\""));
    return {};
}

Result<void> pause(const std::string& root, const std::string& id) {
    CNT_ASSIGN(st, read_state(root, id));
    if (st.status() != "running") return error("container not running");
    CNT_ASSIGN(g, group_of(st));
    return g.freeze(std::chrono::milliseconds(10000));
}

Result<void> resume(const std::string& root, const std::string& id) {
    CNT_ASSIGN(st, read_state(root, id));
    if (st.status() != "paused") return error("container not paused");
    CNT_ASSIGN(g, group_of(st));
    return g.thaw(std::chrono::milliseconds(10000));
}

Result<std::vector<pid_t>> pids(const std::string& root, const std::string& id) {
    CNT_ASSIGN(st, read_state(root, id));
    if (!st.alive()) return std::vector<pid_t>{};
    CNT_ASSIGN(g, group_of(st));
    return g.pids();
}

Result<std::string> stats_json(const std::string& root, const std::string& id) {
    CNT_ASSIGN(st, read_state(root, id));
    if (!st.alive()) return errno_error(ESRCH, "container not running");
    CNT_ASSIGN(g, group_of(st));
    CNT_ASSIGN(s, g.stats());
    CNT_ASSIGN(p, g.pids());
    json data = {{"cpu", {{"usage", {{"total", s.cpu_ns}}}}},
                 {"memory", {{"usage", {{"usage", s.memory_bytes}}}}},
                 {"pids", {{"current", p.size()}}},
                 {"blkio", {{"ioServiceBytesRecursive", json::array()}}}};
    json j = {{"type", "stats"}, {"id", id}, {"data", data}};
    return j.dump();
}

Result<void> update(const std::string& root, const std::string& id, const std::string& file) {
    CNT_ASSIGN(st, read_state(root, id));
    if (!st.alive()) return errno_error(ESRCH, "container not running");
    auto text = file == "-" ? store::read_fd(STDIN_FILENO) : store::read_input(file, 1 << 20);
    if (!text) return sys_error(cat("reading \"", file, "\""), text.error().err);
    CNT_ASSIGN(cg, parse_resources(*text));
    CNT_ASSIGN(g, group_of(st));
    return g.apply(cg);
}

namespace {

pid_t g_init = 0;
void forward(int sig) { ::kill(g_init, sig); }

// Wait for init; the signals a terminal or a supervisor sends this process go on to it, as
// runc run does.
int wait_forwarding(pid_t pid) {
    g_init = pid;
    for (int sig : {SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGUSR1, SIGUSR2, SIGWINCH, SIGCONT})
        ::signal(sig, forward);
    int status = 0;
    while (::waitpid(pid, &status, 0) < 0 && errno == EINTR) {
    }
    return status;
}

}  // namespace

Result<int> run(const std::string& root, const std::string& id, const CreateOptions& o,
                bool detach) {
    CreateOptions co = o;
    co.stay_parent = !detach;
    CNT_ASSIGN(pid, create(root, id, co));
    if (auto r = start(root, id); !r) {
        (void)remove(root, id, true);
        return std::unexpected(r.error());
    }
    if (detach) return 0;
    int status = wait_forwarding(pid);
    (void)remove(root, id, true);
    if (WIFSIGNALED(status)) return 128 + WTERMSIG(status);
    return WEXITSTATUS(status);
}

}  // namespace cnt::oci
