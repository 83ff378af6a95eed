// lxc.hook.*: run through /bin/sh as LXC does, with its environment variables.
#pragma once
#include <string>
#include <vector>

#include "cnt/config.hpp"
#include "cnt/error.hpp"

namespace cnt::hooks {

struct Env {
    std::string name;          // LXC_NAME
    std::string config_file;   // LXC_CONFIG_FILE
    std::string rootfs_mount;  // LXC_ROOTFS_MOUNT
    std::string rootfs_path;   // LXC_ROOTFS_PATH
    std::string console;       // LXC_CONSOLE
    std::string console_log;   // LXC_CONSOLE_LOGPATH
    std::string log_level;     // LXC_LOG_LEVEL
    // Hooks run by init inside the container: a sealed copy of cnt-exec that execs the shell
    // (`cnt-exec --exec -1 -- /bin/sh -c ...`), so that a `#!/proc/self/exe` /bin/sh planted
    // by the container finds that copy, not the host's cnt-start (CVE-2019-5736). -1: execl.
    int exec_fd = -1;
};

const char* type_name(config::HookType t);  // "pre-start"
// The variables every hook and net script sees: "LXC_NAME=...", "LXC_CONFIG_FILE=...", ...
std::vector<std::string> env_vars(const Env& env);

// Run every hook of type t in order; the first failing one aborts with its name in the error.
// Runs `/bin/sh -c "exec <hook> <name> lxc <type>"` (version 0) or `exec <hook>` with
// LXC_HOOK_TYPE/LXC_HOOK_SECTION (version 1), and waits for it. `args` are appended to the
// command line in both versions (the stop hook's "TYPE:/proc/PID/fd/N" namespace references).
Result<void> run(const config::Config& cfg, config::HookType t, const Env& env,
                 const std::vector<std::string>& args = {});

}  // namespace cnt::hooks
