// cnt-checkconfig: does this kernel have what containers need? (lxc-checkconfig)
#include <unistd.h>

#include <iostream>

#include "cli.hpp"
#include "cnt/checkconfig.hpp"

int main(int argc, char** argv) {
    namespace po = cnt::cli::po;
    namespace cc = cnt::checkconfig;
    cnt::cli::Tool tool(
        "cnt-checkconfig", "[--live]",
        "Check the kernel configuration and the running system for container support.\n"
        "The kernel config is read from $CONFIG, /proc/config.gz,\n"
        "/lib/modules/<release>/build/.config or /boot/config-<release>.");
    tool.no_name().no_rcfile();
    tool.opts().add_options()("live", po::bool_switch(),
                              "ignore any kernel config: probe the running system only");
    if (auto rc = tool.parse(argc, argv)) return *rc;

    cc::Found found;
    if (!tool.vm()["live"].as<bool>()) found = cc::find_kernel_config();
    cc::KernelConfig cfg;
    if (!found.source.empty()) cfg = cc::parse_kernel_config(found.text);
    auto live = cc::probe();
    auto report = cc::evaluate(found.source.empty() ? nullptr : &cfg, live);

    const bool colour = ::isatty(STDOUT_FILENO);
    auto paint = [&](cc::Status s) -> std::string {
        std::string word(cc::status_name(s));
        if (!colour) return word;
        const char* c = s == cc::Status::enabled    ? "\033[1;32m"
                        : s == cc::Status::required ? "\033[1;31m"
                        : s == cc::Status::missing  ? "\033[1;33m"
                                                    : "\033[1;36m";
        return c + word + "\033[0m";
    };

    if (found.source.empty())
        std::cout << "No kernel configuration found: probing the running system (live probe)\n";
    else
        std::cout << "Kernel configuration found at " << found.source << '\n';
    std::string section;
    for (const auto& it : report.items) {
        if (it.section != section) {
            section = it.section;
            std::cout << "--- " << section << " ---\n";
        }
        std::cout << it.label << ": " << paint(it.status);
        if (!it.note.empty()) std::cout << " (" << it.note << ")";
        std::cout << '\n';
        if (section == "Control groups" && it.option == "CONFIG_CGROUPS")
            for (const auto& line : report.info)
                if (line.rfind("Cgroup ", 0) == 0) std::cout << line << '\n';
    }
    std::cout << "--- Other ---\n";
    for (const auto& line : report.info)
        if (line.rfind("Cgroup ", 0) != 0) std::cout << line << '\n';
    std::cout << "\nNote: before booting a new kernel, check its config with\n"
                 "  CONFIG=/path/to/config cnt-checkconfig\n";
    return report.required_missing() ? 1 : 0;
}
