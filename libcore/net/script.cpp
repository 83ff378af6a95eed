// lxc.net.N.script.up / script.down: run through `sh -c "exec <script> ..."` as LXC does.
// Hook version 0 passes `<container> net <up|down> <type> <parent> [<host veth>]` as
// arguments; version 1 passes the same trailing arguments and LXC_HOOK_TYPE,
// LXC_HOOK_SECTION, LXC_NET_TYPE, LXC_NET_PARENT, LXC_NET_PEER in the environment.
#include "net/script.hpp"

#include "cnt/log.hpp"
#include "cnt/shell.hpp"

namespace cnt::net {

Result<void> run_script(const ScriptCall& c) {
    ShellCall sh;
    sh.command = cat("exec ", c.script);
    if (c.hook_version == 0) sh.command += cat(' ', c.container, " net ", c.hook_type);
    std::vector<std::string> args{c.type};
    if (c.type != "empty" && c.type != "none") args.push_back(c.link);
    if (c.type == "veth") args.push_back(c.peer);
    for (const auto& a : args) sh.command += cat(' ', a);

    sh.env = c.extra_env;
    sh.env.push_back(cat("LXC_NAME=", c.container));
    sh.env.push_back(cat("LXC_HOOK_VERSION=", c.hook_version));
    if (c.hook_version == 1) {
        sh.env.push_back(cat("LXC_HOOK_TYPE=", c.hook_type));
        sh.env.push_back("LXC_HOOK_SECTION=net");
        sh.env.push_back(cat("LXC_NET_TYPE=", c.type));
        if (c.type == "veth" || c.type == "macvlan" || c.type == "phys")
            sh.env.push_back(cat("LXC_NET_PARENT=", c.link));
        if (c.type == "veth") sh.env.push_back(cat("LXC_NET_PEER=", c.peer));
    }
    sh.what = cat("script.", c.hook_type, " \"", c.script, '"');
    log::debug("running net script: ", sh.command);
    return run_shell(sh);
}

}  // namespace cnt::net
