// cnt-usernsexec: run a command as root of a new user namespace with given id maps, as
// lxc-usernsexec (newuidmap/newgidmap for a caller that is not root).
#include <sched.h>

#include "cli.hpp"
#include "cnt/unshare.hpp"

int main(int argc, char** argv) {
    namespace po = cnt::cli::po;
    cnt::cli::Tool tool("cnt-usernsexec", "[-m u|g|b:NSID:HOSTID:RANGE]... -- COMMAND",
                        "Run COMMAND as root of a new user namespace with the given id maps "
                        "(default: the caller's first subordinate uid and gid ranges).");
    tool.no_name().no_rcfile().with_args();
    tool.opts().add_options()("map,m", po::value<std::vector<std::string>>(),
                              "MAP: u, g or b (both), the first id inside, outside, the count");
    if (auto rc = tool.parse(argc, argv)) return *rc;
    cnt::unshare::Options o;
    o.flags = CLONE_NEWUSER;
    if (tool.has("map"))
        for (const auto& m : tool.vm()["map"].as<std::vector<std::string>>()) {
            auto maps = cnt::unshare::parse_map(m);
            if (!maps) return tool.fail(maps.error());
            o.maps.insert(o.maps.end(), maps->begin(), maps->end());
        }
    if (o.maps.empty()) {
        auto d = cnt::unshare::default_maps();
        if (!d) return tool.fail(d.error());
        o.maps = std::move(*d);
    }
    o.command = tool.common().args;
    if (o.command.empty()) return tool.fail_msg("no command given");
    auto r = cnt::unshare::run(o);
    if (!r) return tool.fail(r.error());
    return *r;
}
