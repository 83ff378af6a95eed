// cnt-config: the system settings in effect, as lxc-config.
#include <iostream>

#include "cli.hpp"
#include "cnt/sysitems.hpp"

int main(int argc, char** argv) {
    cnt::cli::Tool tool("cnt-config", "-l | KEY",
                        "Print a system setting in effect (LXC's names such as lxc.lxcpath, or "
                        "cnt.conf's SECTION.KEY).");
    tool.no_name().no_rcfile().with_args().own_short_l();
    tool.opts().add_options()("list,l", "list every setting name");
    if (auto rc = tool.parse(argc, argv)) return *rc;
    const auto& args = tool.common().args;
    if (tool.has("list")) {
        for (auto n : cnt::sysconf::item_names()) std::cout << n << '\n';
        return 0;
    }
    if (args.empty()) {
        // As lxc-config: no item is a usage message, not an error.
        std::cout << "Usage: cnt-config -l: list all available configuration items\n"
                     "       cnt-config KEY: print configuration item\n";
        return 0;
    }
    if (args.size() > 1) return tool.fail_msg("unexpected argument \"" + args[1] + "\"");
    auto v = cnt::sysconf::item_value(cnt::sysconf::get(), args[0]);
    if (!v) return tool.fail_msg("Unknown configuration item: " + args[0]);
    if (v->empty())
        std::cout << args[0] << " is not set.\n";
    else
        std::cout << *v << '\n';
    return 0;
}
