#include "cnt/shell.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

extern char** environ;

namespace cnt {
namespace {

// The caller's environment with each of `extra` set (replacing a variable of the same name).
std::vector<std::string> environment(const std::vector<std::string>& extra) {
    std::vector<std::string> env;
    for (char** e = environ; e && *e; ++e) env.emplace_back(*e);
    for (const auto& x : extra) {
        auto key = x.substr(0, x.find('=') + 1);
        bool replaced = false;
        for (auto& e : env)
            if (e.starts_with(key)) {
                e = x;
                replaced = true;
                break;
            }
        if (!replaced) env.push_back(x);
    }
    return env;
}

[[noreturn]] void exec_shell(const ShellCall& c, char** envp) {
    sigset_t none;
    sigemptyset(&none);
    sigprocmask(SIG_SETMASK, &none, nullptr);
    if (c.exec_fd >= 0) {
        const char* argv[] = {"cnt-exec", "--exec",          "-1",   "--", "/bin/sh",
                              "-c",       c.command.c_str(), nullptr};
        ::syscall(SYS_execveat, c.exec_fd, "", argv, envp, AT_EMPTY_PATH);
    } else {
        const char* argv[] = {"sh", "-c", c.command.c_str(), nullptr};
        ::execve("/bin/sh", const_cast<char* const*>(argv), envp);
    }
    ::_exit(127);
}

}  // namespace

Result<void> run_shell(const ShellCall& c) {
    auto env = environment(c.env);
    std::vector<char*> envp;
    for (auto& e : env) envp.push_back(e.data());
    envp.push_back(nullptr);
    pid_t pid = ::fork();
    if (pid < 0) return sys_error(cat("running ", c.what));
    if (pid == 0) exec_shell(c, envp.data());
    int st = 0;
    while (::waitpid(pid, &st, 0) < 0)
        if (errno != EINTR) return sys_error(cat("waiting for ", c.what));
    if (WIFEXITED(st) && WEXITSTATUS(st) == 0) return {};
    std::string how = WIFEXITED(st) ? cat("exited with status ", WEXITSTATUS(st))
                                    : cat("killed by signal ", WTERMSIG(st));
    return error(c.what, " failed: ", how);
}

}  // namespace cnt
