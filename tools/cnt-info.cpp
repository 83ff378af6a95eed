// cnt-info: show a container's state and config values (TEMPORARY skeleton, issue #2).
#include <iostream>

#include "cli.hpp"
#include "cnt/config.hpp"
#include "cnt/store.hpp"

int main(int argc, char** argv) {
    cnt::cli::Tool tool("cnt-info", "-n NAME [-c KEY]... [-H]", "Show information about a container.");
    tool.opts().add_options()("config,c", cnt::cli::po::value<std::vector<std::string>>(), "KEY: print this config value")(
        "no-humanize,H", "print bare values");
    if (auto rc = tool.parse(argc, argv)) return *rc;
    cnt::store::Paths p{tool.common().lxcpath, tool.common().name};
    if (!cnt::store::defined(p)) return tool.fail_msg(tool.common().name + " doesn't exist");
    return 0;
}
