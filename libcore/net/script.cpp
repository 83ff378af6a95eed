// lxc.net.N.script.up / script.down: run through `sh -c "exec <script> ..."` as LXC does.
// Hook version 0 passes `<container> net <up|down> <type> <parent> [<host veth>]` as
// arguments; version 1 passes the same trailing arguments and LXC_HOOK_TYPE,
// LXC_HOOK_SECTION, LXC_NET_TYPE, LXC_NET_PARENT, LXC_NET_PEER in the environment.
#include "net/script.hpp"

#include <sys/wait.h>
#include <unistd.h>

#include <cstring>

#include "cnt/log.hpp"

extern char** environ;

namespace cnt::net {

Result<void> run_script(const ScriptCall& c) {
    std::string cmd = cat("exec ", c.script);
    if (c.hook_version == 0) cmd += cat(' ', c.container, " net ", c.hook_type);
    std::vector<std::string> args{c.type};
    if (c.type != "empty" && c.type != "none") args.push_back(c.link);
    if (c.type == "veth") args.push_back(c.peer);
    for (const auto& a : args) cmd += cat(' ', a);

    std::vector<std::string> env;
    for (char** e = environ; e && *e; ++e) env.emplace_back(*e);
    for (const auto& e : c.extra_env) env.push_back(e);
    env.push_back(cat("LXC_NAME=", c.container));
    env.push_back(cat("LXC_HOOK_VERSION=", c.hook_version));
    if (c.hook_version == 1) {
        env.push_back(cat("LXC_HOOK_TYPE=", c.hook_type));
        env.push_back("LXC_HOOK_SECTION=net");
        env.push_back(cat("LXC_NET_TYPE=", c.type));
        if (c.type == "veth" || c.type == "macvlan" || c.type == "phys")
            env.push_back(cat("LXC_NET_PARENT=", c.link));
        if (c.type == "veth") env.push_back(cat("LXC_NET_PEER=", c.peer));
    }
    std::vector<char*> envp;
    for (auto& e : env) envp.push_back(e.data());
    envp.push_back(nullptr);
    const char* argv[] = {"sh", "-c", cmd.c_str(), nullptr};

    log::debug("running net script: ", cmd);
    pid_t pid = ::fork();
    if (pid < 0) return sys_error(cat("forking for script.", c.hook_type, " \"", c.script, '"'));
    if (pid == 0) {
        ::execve("/bin/sh", const_cast<char* const*>(argv), envp.data());
        ::_exit(127);
    }
    int st = 0;
    while (::waitpid(pid, &st, 0) < 0)
        if (errno != EINTR) return sys_error(cat("waiting for script \"", c.script, '"'));
    if (WIFEXITED(st) && WEXITSTATUS(st) == 0) return {};
    std::string how = WIFEXITED(st) ? cat("exited with status ", WEXITSTATUS(st))
                                    : cat("killed by signal ", WTERMSIG(st));
    return error("script.", c.hook_type, " \"", c.script, "\" ", how);
}

}  // namespace cnt::net
