// cnt-wait: block until a container reaches one of the given states (lxc-wait).
#include <chrono>
#include <iostream>
#include <sstream>

#include "cli.hpp"
#include "cnt/container.hpp"
#include "cnt/events.hpp"

int main(int argc, char** argv) {
    namespace po = cnt::cli::po;
    cnt::cli::Tool tool("cnt-wait", "-n NAME -s STATE[|STATE]... [-t SECS]",
                        "Wait for a container to reach one of the given states.");
    tool.opts().add_options()("state,s", po::value<std::string>(),
                              "STATE[|STATE]...: STOPPED STARTING RUNNING STOPPING ABORTING "
                              "FREEZING FROZEN THAWED (case-sensitive)")(
        "timeout,t", po::value<long>()->default_value(-1), "SECS to wait at most (-1: forever)");
    if (auto rc = tool.parse(argc, argv)) return *rc;
    if (!tool.vm().count("state")) return tool.fail_msg("missing state (-s)");

    std::vector<cnt::State> states;
    std::istringstream in(tool.vm()["state"].as<std::string>());
    for (std::string s; std::getline(in, s, '|');) {
        auto st = cnt::parse_state(s);
        if (!st) return tool.fail_msg("invalid state \"" + s + "\"");
        states.push_back(*st);
    }
    if (states.empty()) return tool.fail_msg("invalid state \"\"");

    auto c = cnt::Container::open(tool.common().name, tool.common().lxcpath);
    if (!c) return tool.fail(c.error());
    long secs = tool.vm()["timeout"].as<long>();
    auto r = cnt::events::wait_for(*c, states, std::chrono::seconds(secs < 0 ? -1 : secs));
    if (!r) return tool.fail(r.error());
    if (!*r) return tool.fail_msg("timed out waiting for state");
    return 0;
}
