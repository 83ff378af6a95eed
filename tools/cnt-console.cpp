// cnt-console: attach this terminal to a container's tty (or console) held by its monitor.
#include <poll.h>
#include <unistd.h>

#include <iostream>

#include "cli.hpp"
#include "cnt/console.hpp"
#include "cnt/container.hpp"

int main(int argc, char** argv) {
    namespace po = cnt::cli::po;
    cnt::cli::Tool tool("cnt-console", "-n NAME [-t TTY] [-e ESCAPE]",
                        "Attach to a container's console or one of its ttys.");
    tool.opts().add_options()("tty,t", po::value<int>(),
                              "TTY number (0 = the console; default: first free)")(
        "escape,e", po::value<std::string>(),
        "prefix character for escape sequences (default a: Ctrl-a q detaches)");
    if (auto rc = tool.parse(argc, argv)) return *rc;
    const auto& c = tool.common();
    cnt::ConsoleOptions o;
    if (tool.has("tty")) o.tty = tool.vm()["tty"].as<int>();
    if (tool.has("escape")) {
        std::string e = tool.vm()["escape"].as<std::string>();
        if (e.size() == 2 && e[0] == '^') e = e.substr(1);
        if (e.size() != 1) return tool.fail_msg("invalid escape character");
        o.escape = static_cast<char>(e[0] & 0x1f);
    }
    auto ct = cnt::Container::open(c.name, c.lxcpath);
    if (!ct) return tool.fail(ct.error());
    if (ct->state() == cnt::State::stopped) return tool.fail_msg("is not running");
    auto r = cnt::console(*ct, o);
    if (!r) return tool.fail(r.error());
    return 0;
}
