// cnt-freeze and cnt-unfreeze: one tool body, two verbs.
#pragma once
#include <sys/stat.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <string>

#include "cli.hpp"
#include "cnt/container.hpp"

namespace cnt::cli {

// freeze: freeze every process of a running container (exit 1 when it is not running);
// !freeze: thaw it (a container that is not running is left alone, exit 0, as LXC).
inline int freeze_main(int argc, char** argv, bool freeze) {
    const char* verb = freeze ? "freeze" : "thaw";
    Tool tool(freeze ? "cnt-freeze" : "cnt-unfreeze", "-n NAME [-t SECS]",
              freeze ? "Freeze all the processes of a running container."
                     : "Thaw all the processes of a frozen container.");
    tool.opts().add_options()(
        "timeout,t", po::value<double>()->default_value(10),
        (std::string("SECS to wait for the kernel to ") + verb + " every task (default 10)")
            .c_str());
    if (auto rc = tool.parse(argc, argv)) return *rc;
    double secs = tool.vm()["timeout"].as<double>();
    if (!(secs > 0 && secs <= 86400))
        return tool.fail_msg("invalid timeout: expected 0 < SECS <= 86400");
    auto c = Container::open(tool.common().name, tool.common().lxcpath);
    if (!c) return tool.fail(c.error());
    // (an I/O error on the config is that, not "no such container")
    struct stat st {};
    if (::stat(c->paths().config().c_str(), &st) != 0) {
        if (errno != ENOENT && errno != ENOTDIR)
            return tool.fail_msg("checking \"" + c->paths().config() +
                                 "\": " + std::strerror(errno));
        return tool.fail_msg("No such container: " + tool.common().lxcpath + ":" +
                             tool.common().name);
    }
    auto timeout = std::chrono::milliseconds(static_cast<long long>(secs * 1000));
    auto r = freeze ? c->freeze(timeout) : c->unfreeze(timeout);
    if (!r) return tool.fail(r.error());
    return 0;
}

}  // namespace cnt::cli
