// OCI hooks: path, args, env, timeout; the container's state JSON on stdin.
#include <fcntl.h>
#include <signal.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cstring>

#include "cnt/oci.hpp"

namespace cnt::oci {

namespace {

[[noreturn]] void exec_hook(const Hook& h, int in) {
    ::dup2(in, STDIN_FILENO);
    std::vector<char*> argv, envp;
    std::vector<std::string> args = h.args;
    if (args.empty()) args.push_back(h.path);
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    std::vector<std::string> env = h.env;
    for (auto& e : env) envp.push_back(e.data());
    envp.push_back(nullptr);
    ::execve(h.path.c_str(), argv.data(), envp.data());
    ::_exit(127);
}

// The hook's wait status; a timeout kills it.
Result<int> wait_hook(pid_t pid, int timeout) {
    timespec start{};
    ::clock_gettime(CLOCK_MONOTONIC, &start);
    for (;;) {
        int status = 0;
        pid_t r = ::waitpid(pid, &status, timeout ? WNOHANG : 0);
        if (r == pid) return status;
        if (r < 0 && errno != EINTR) return sys_error("waiting for a hook");
        timespec now{};
        ::clock_gettime(CLOCK_MONOTONIC, &now);
        if (timeout && now.tv_sec - start.tv_sec >= timeout) {
            ::kill(pid, SIGKILL);
            ::waitpid(pid, nullptr, 0);
            return errno_error(ETIMEDOUT, "timed out");
        }
        if (timeout) ::usleep(2000);
    }
}

Result<void> run_one(const Hook& h, const std::string& state) {
    int p[2];
    if (::pipe2(p, O_CLOEXEC) != 0) return sys_error("creating the hook's stdin");
    pid_t pid = ::fork();
    if (pid < 0) return sys_error("forking the hook");
    if (pid == 0) {
        ::close(p[1]);
        exec_hook(h, p[0]);
    }
    ::close(p[0]);
    // A hook that does not read its stdin gets EPIPE, which is no error of ours.
    auto old = ::signal(SIGPIPE, SIG_IGN);
    (void)!::write(p[1], state.data(), state.size());
    ::close(p[1]);
    ::signal(SIGPIPE, old);
    CNT_ASSIGN(status, wait_hook(pid, h.timeout));
    if (WIFEXITED(status) && WEXITSTATUS(status) == 0) return {};
    if (WIFEXITED(status)) return errno_error(0, cat("exited with status ", WEXITSTATUS(status)));
    return errno_error(0, cat("killed by signal ", WTERMSIG(status)));
}

}  // namespace

Result<void> run_hooks(const std::vector<Hook>& hooks, const std::string& state,
                       const char* which) {
    for (size_t i = 0; i < hooks.size(); ++i) {
        auto r = run_one(hooks[i], state);
        if (!r)
            return std::unexpected(
                std::move(r.error()).within(cat(which, " hook ", i, " \"", hooks[i].path, "\"")));
    }
    return {};
}

}  // namespace cnt::oci
