// Running lxc.net.N.script.up / script.down (internal to the net module).
#pragma once
#include <string>
#include <vector>

#include "cnt/error.hpp"

namespace cnt::net {

struct ScriptCall {
    std::string script, container, hook_type;  // hook_type: "up" / "down"
    std::string type, link, peer;              // net type, parent link, host-side veth
    int hook_version = 0;
    std::vector<std::string> extra_env;
};
Result<void> run_script(const ScriptCall& c);

}  // namespace cnt::net
