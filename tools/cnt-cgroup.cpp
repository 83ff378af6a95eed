// cnt-cgroup: read or write one cgroup value of a running container, as lxc-cgroup.
#include <iostream>

#include "cli.hpp"
#include "cnt/container.hpp"

int main(int argc, char** argv) {
    cnt::cli::Tool tool("cnt-cgroup", "-n NAME KEY [VALUE]",
                        "Get or set a value (KEY: a cgroup file name, e.g. memory.max or "
                        "memory.limit_in_bytes) in the container's cgroup.");
    tool.with_args().epilog(
        "A cgroup v1 or v2 name is accepted on every host: where the host has only the other\n"
        "version, the value is translated as the config's lxc.cgroup.* and lxc.cgroup2.*\n"
        "limits are. A new value is checked as the same key in a config would be.");
    if (auto rc = tool.parse(argc, argv)) return *rc;
    const auto& args = tool.common().args;
    if (args.empty()) return tool.fail_msg("missing state object (KEY)");
    if (args.size() > 2) return tool.fail_msg("unexpected argument \"" + args[2] + "\"");
    auto c = cnt::Container::open(tool.common().name, tool.common().lxcpath);
    if (!c) return tool.fail(c.error());
    if (!c->defined())
        return tool.fail_msg("No such container: " + tool.common().lxcpath + ":" +
                             tool.common().name);
    if (args.size() == 2) {
        auto r = c->cgroup_set(args[0], args[1]);
        if (!r) return tool.fail(r.error());
        return 0;
    }
    auto v = c->cgroup_get(args[0]);
    if (!v) return tool.fail(v.error());
    std::cout << *v << '\n';
    return 0;
}
