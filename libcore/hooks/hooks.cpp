#include "hooks/hooks.hpp"

#include <fcntl.h>
#include <signal.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>

namespace cnt::hooks {

const char* type_name(config::HookType t) {
    static const char* names[config::kHookTypes] = {"pre-start",  "pre-mount", "mount", "autodev",
                                                    "start-host", "start",     "stop",  "post-stop",
                                                    "clone",      "destroy"};
    return names[static_cast<int>(t)];
}

Result<void> run(const config::Config& cfg, config::HookType t, const Env& env,
                 const std::vector<std::string>& args) {
    const auto& list = cfg.hooks.of(t);
    for (const auto& hook : list) {
        std::string script = cfg.hooks.version == 0
                                 ? cat("exec ", hook, " ", env.name, " lxc ", type_name(t))
                                 : cat("exec ", hook);
        for (const auto& a : args) script += " " + a;
        pid_t pid = ::fork();
        if (pid < 0) return sys_error(cat("running ", type_name(t), " hook \"", hook, "\""));
        if (pid == 0) {
            auto set = [](const char* k, const std::string& v) { ::setenv(k, v.c_str(), 1); };
            set("LXC_NAME", env.name);
            set("LXC_CONFIG_FILE", env.config_file);
            set("LXC_ROOTFS_MOUNT", env.rootfs_mount);
            set("LXC_ROOTFS_PATH", env.rootfs_path);
            set("LXC_CONSOLE", env.console);
            set("LXC_CONSOLE_LOGPATH", env.console_log);
            set("LXC_LOG_LEVEL", env.log_level);
            set("LXC_HOOK_TYPE", type_name(t));
            set("LXC_HOOK_SECTION", "lxc");
            set("LXC_HOOK_VERSION", std::to_string(cfg.hooks.version));
            set("LXC_CGNS_AWARE", "1");
            sigset_t none;
            sigemptyset(&none);
            sigprocmask(SIG_SETMASK, &none, nullptr);
            if (env.exec_fd >= 0) {
                const char* argv[] = {"cnt-exec", "--exec", "-1",           "--",
                                      "/bin/sh",  "-c",     script.c_str(), nullptr};
                ::syscall(SYS_execveat, env.exec_fd, "", argv, environ, AT_EMPTY_PATH);
            } else {
                ::execl("/bin/sh", "sh", "-c", script.c_str(), static_cast<char*>(nullptr));
            }
            ::_exit(127);
        }
        int st = 0;
        while (::waitpid(pid, &st, 0) < 0)
            if (errno != EINTR) return sys_error("waiting for a hook");
        if (WIFEXITED(st) && WEXITSTATUS(st) == 0) continue;
        std::string how = WIFEXITED(st) ? cat("exited with status ", WEXITSTATUS(st))
                                        : cat("killed by signal ", WTERMSIG(st));
        return error(type_name(t), " hook \"", hook, "\" failed: ", how);
    }
    return {};
}

}  // namespace cnt::hooks
