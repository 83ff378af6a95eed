// cnt-autostart: start, stop, kill or reboot the auto-started containers (lxc-autostart).
#include <iostream>

#include "cli.hpp"
#include "cnt/autostart.hpp"
#include "cnt/log.hpp"

int main(int argc, char** argv) {
    namespace po = cnt::cli::po;
    namespace as = cnt::autostart;
    cnt::cli::Tool tool("cnt-autostart", "[-a] [-A] [-g GROUPS]... [-L] [-r|-s|-k] [-t SECS]",
                        "Start (or stop) the containers with lxc.start.auto = 1.");
    tool.no_name().no_rcfile();
    tool.opts().add_options()("all,a", po::bool_switch(), "every group, not only the NULL group")(
        "ignore-auto,A", po::bool_switch(), "also containers without lxc.start.auto")(
        "groups,g", po::value<std::vector<std::string>>(),
        "GROUPS: comma list, processed in order; an empty item is the NULL group (\"onboot,\")")(
        "list,L", po::bool_switch(),
        "only print the containers (and delays) that would be acted on")(
        "reboot,r", po::bool_switch(), "reboot them")("shutdown,s", po::bool_switch(),
                                                      "shut them down cleanly (killed after -t)")(
        "kill,k", po::bool_switch(), "kill them")("timeout,t", po::value<long>()->default_value(60),
                                                  "SECS to wait for a clean shutdown or reboot");
    if (auto rc = tool.parse(argc, argv)) return *rc;
    const auto& vm = tool.vm();

    as::Options o;
    o.all = vm["all"].as<bool>();
    o.ignore_auto = vm["ignore-auto"].as<bool>();
    if (vm.count("groups"))
        for (const auto& g : vm["groups"].as<std::vector<std::string>>())
            for (auto& x : as::split_groups(g)) o.groups.push_back(std::move(x));
    int actions = vm["reboot"].as<bool>() + vm["shutdown"].as<bool>() + vm["kill"].as<bool>();
    if (actions > 1) return tool.fail_msg("-r, -s and -k exclude each other");
    if (vm["reboot"].as<bool>()) o.action = as::Action::reboot;
    if (vm["shutdown"].as<bool>()) o.action = as::Action::shutdown;
    if (vm["kill"].as<bool>()) o.action = as::Action::kill;
    o.timeout = std::chrono::seconds(vm["timeout"].as<long>());

    std::vector<as::Failure> failures;
    if (vm["list"].as<bool>()) {
        for (const auto& e : as::select(tool.common().lxcpath, o, failures)) {
            std::cout << e.name;
            if (o.action == as::Action::start) std::cout << ' ' << e.delay;
            std::cout << '\n';
        }
    } else {
        failures = as::run(tool.common().lxcpath, o);
    }
    for (const auto& f : failures) cnt::log::error(f.name, ": ", f.error.message());
    if (!failures.empty()) {
        std::string names;
        for (const auto& f : failures) names += (names.empty() ? "" : ", ") + f.name;
        return tool.fail_msg("failed: " + names);
    }
    return 0;
}
