#include "hooks/hooks.hpp"

#include "cnt/shell.hpp"

namespace cnt::hooks {

const char* type_name(config::HookType t) {
    static const char* names[config::kHookTypes] = {"pre-start",  "pre-mount", "mount", "autodev",
                                                    "start-host", "start",     "stop",  "post-stop",
                                                    "clone",      "destroy"};
    return names[static_cast<int>(t)];
}

std::vector<std::string> env_vars(const Env& env) {
    return {cat("LXC_NAME=", env.name),
            cat("LXC_CONFIG_FILE=", env.config_file),
            cat("LXC_ROOTFS_MOUNT=", env.rootfs_mount),
            cat("LXC_ROOTFS_PATH=", env.rootfs_path),
            cat("LXC_CONSOLE=", env.console),
            cat("LXC_CONSOLE_LOGPATH=", env.console_log),
            cat("LXC_LOG_LEVEL=", env.log_level),
            "LXC_CGNS_AWARE=1"};
}

Result<void> run(const config::Config& cfg, config::HookType t, const Env& env,
                 const std::vector<std::string>& args) {
    for (const auto& hook : cfg.hooks.of(t)) {
        ShellCall c;
        c.command = cfg.hooks.version == 0
                        ? cat("exec ", hook, " ", env.name, " lxc ", type_name(t))
                        : cat("exec ", hook);
        for (const auto& a : args) c.command += " " + a;
        c.env = env_vars(env);
        c.env.push_back(cat("LXC_HOOK_TYPE=", type_name(t)));
        c.env.push_back("LXC_HOOK_SECTION=lxc");
        c.env.push_back(cat("LXC_HOOK_VERSION=", cfg.hooks.version));
        c.exec_fd = env.exec_fd;
        c.what = cat(type_name(t), " hook \"", hook, '"');
        CNT_TRY(run_shell(c));
    }
    return {};
}

}  // namespace cnt::hooks
