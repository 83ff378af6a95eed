// cnt-monitor: print the state changes of the containers of an lxcpath (lxc-monitor).
#include <regex.h>

#include <chrono>
#include <iostream>

#include "cli.hpp"
#include "cnt/events.hpp"

int main(int argc, char** argv) {
    cnt::cli::Tool tool("cnt-monitor", "[-n REGEX] [-P PATH]",
                        "Print the state changes of containers until killed.");
    tool.no_name().no_rcfile();
    tool.opts().add_options()("name,n", cnt::cli::po::value<std::string>()->default_value(".*"),
                              "REGEX (POSIX extended) of the names to follow");
    if (auto rc = tool.parse(argc, argv)) return *rc;

    // Anchored like lxc-monitor: "web" follows web, not web1.
    std::string re = "^(" + tool.vm()["name"].as<std::string>() + ")$";
    regex_t rx;
    if (::regcomp(&rx, re.c_str(), REG_EXTENDED | REG_NOSUB) != 0)
        return tool.fail_msg("invalid regular expression \"" + tool.vm()["name"].as<std::string>() +
                             "\"");

    auto w = cnt::events::Watch::open(tool.common().lxcpath);
    if (!w) return tool.fail(w.error());
    for (;;) {
        auto changes = w->next(std::chrono::milliseconds(-1));
        if (!changes) return tool.fail(changes.error());
        for (const auto& c : *changes) {
            if (::regexec(&rx, c.name.c_str(), 0, nullptr, 0) != 0) continue;
            std::cout << '\'' << c.name << "' changed state to [" << cnt::state_name(c.state) << "]"
                      << std::endl;
        }
    }
}
