// cnt-freeze: freeze every process of a running container.
#include <chrono>

#include "cli.hpp"
#include "cnt/container.hpp"

int main(int argc, char** argv) {
    cnt::cli::Tool tool("cnt-freeze", "-n NAME [-t SECS]",
                        "Freeze all the processes of a running container.");
    tool.opts().add_options()("timeout,t", cnt::cli::po::value<double>()->default_value(10),
                              "SECS to wait for the kernel to freeze every task (default 10)");
    if (auto rc = tool.parse(argc, argv)) return *rc;
    double secs = tool.vm()["timeout"].as<double>();
    if (!(secs > 0 && secs <= 86400))
        return tool.fail_msg("invalid timeout: expected 0 < SECS <= 86400");
    auto c = cnt::Container::open(tool.common().name, tool.common().lxcpath);
    if (!c) return tool.fail(c.error());
    if (!c->defined())
        return tool.fail_msg("No such container: " + tool.common().lxcpath + ":" +
                             tool.common().name);
    auto r = c->freeze(std::chrono::milliseconds(static_cast<long long>(secs * 1000)));
    if (!r) return tool.fail(r.error());
    return 0;
}
