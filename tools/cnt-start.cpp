// cnt-start: start a container (daemon by default, -F in the foreground).
#include <iostream>

#include "cli.hpp"
#include "cnt/container.hpp"
#include "cnt/log.hpp"

int main(int argc, char** argv) {
    cnt::cli::Tool tool(
        "cnt-start", "-n NAME [-d|-F] [-f RCFILE] [-s KEY=VAL]... [-p PIDFILE] [-C] [-- COMMAND]",
        "Start a container: its monitor, namespaces, cgroup and init.");
    tool.rcfile_as_f().with_defines().with_args();
    tool.opts().add_options()("daemon,d", "run in the background (default)")(
        "foreground,F", "run in the foreground; the console is this terminal")(
        "pidfile,p", cnt::cli::po::value<std::string>(), "FILE: write the monitor's pid to FILE")(
        "close-all-fds,C", "close inherited file descriptors");
    if (auto rc = tool.parse(argc, argv)) return *rc;
    const auto& c = tool.common();
    if (tool.has("daemon") && tool.has("foreground"))
        return tool.fail_msg("-d and -F cannot be used together");
    auto ct = cnt::Container::open(c.name, c.lxcpath);
    if (!ct) return tool.fail(ct.error());
    if (ct->state() != cnt::State::stopped) {
        if (!c.quiet)
            std::cerr << tool.prog() << ": " << c.name << ": Container is already running\n";
        return 0;
    }
    cnt::StartOptions o;
    o.daemonize = !tool.has("foreground");
    o.exit_when_running = o.daemonize;  // nothing follows a started daemon here
    o.command = c.args;
    o.rcfile = c.rcfile;
    o.defines = c.defines;
    if (tool.has("pidfile")) o.pidfile = tool.vm()["pidfile"].as<std::string>();
    o.close_fds = tool.has("close-all-fds");
    o.logfile = c.logfile;
    o.loglevel = c.loglevel;
    if (auto r = ct->start(o); !r) {
        tool.fail(r.error());
        if (o.daemonize) cnt::log::error("The container failed to start");
        return 1;
    }
    return 0;
}
