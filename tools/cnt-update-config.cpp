// cnt-update-config: a legacy container config rewritten with the current keys, in place, as
// lxc-update-config.
#include <iostream>

#include "cli.hpp"
#include "cnt/log.hpp"
#include "cnt/update_config.hpp"

int main(int argc, char** argv) {
    cnt::cli::Tool tool("cnt-update-config", "-c FILE",
                        "Rewrite a legacy (LXC 0.6-2.x) container config with the current key "
                        "names, in place; the original is kept as FILE.backup.");
    tool.no_name().no_rcfile();
    tool.opts().add_options()("config,c", cnt::cli::po::value<std::string>(),
                              "FILE: the container config to update");
    if (auto rc = tool.parse(argc, argv)) return *rc;
    if (!tool.has("config")) {
        // As lxc-update-config: without a file, the usage and success.
        tool.print_help(std::cout);
        return 0;
    }
    auto u = cnt::config::update_file(tool.vm()["config"].as<std::string>());
    if (!u) return tool.fail(u.error());
    for (const auto& c : u->changes) cnt::log::info(c);
    return 0;
}
