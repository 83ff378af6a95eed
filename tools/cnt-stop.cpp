// cnt-stop: ask init to halt, wait, then kill; exit 2 when the container is not running.
#include <iostream>

#include "cli.hpp"
#include "cnt/container.hpp"

int main(int argc, char** argv) {
    cnt::cli::Tool tool("cnt-stop", "-n NAME [-t SECS] [-k] [-W] [-r] [--nokill]",
                        "Stop a running container: halt signal, wait, then kill.");
    tool.opts().add_options()("timeout,t", cnt::cli::po::value<long>(),
                              "SECS to wait (default 60, -1 forever)")(
        "kill,k", "kill at once, no clean shutdown")("nowait,W", "send the request and return")(
        "reboot,r", "send the reboot signal")("nokill", "on timeout, do not kill")(
        "nolock", "accepted with -k for compatibility");
    if (auto rc = tool.parse(argc, argv)) return *rc;
    const auto& c = tool.common();
    cnt::StopOptions o;
    o.kill = tool.has("kill");
    o.nowait = tool.has("nowait");
    o.reboot = tool.has("reboot");
    o.nokill = tool.has("nokill");
    long t = tool.has("timeout") ? tool.vm()["timeout"].as<long>() : 60;
    if (o.kill && (o.reboot || o.nokill || (tool.has("timeout") && t != 0)))
        return tool.fail_msg(o.nokill || o.reboot ? "-k can't be used with -r or --nokill"
                                                  : "-k doesn't allow timeouts");
    if (tool.has("nolock") && !o.kill) return tool.fail_msg("--nolock may only be used with -k");
    if (tool.has("timeout") && t == 0) o.nowait = true;
    if (t < -1) return tool.fail_msg("invalid timeout");
    o.timeout = std::chrono::seconds(t);
    auto ct = cnt::Container::open(c.name, c.lxcpath);
    if (!ct) return tool.fail(ct.error());
    auto r = ct->stop(o);
    if (!r) return tool.fail(r.error());
    switch (*r) {
        case cnt::StopOutcome::not_running:
            if (!ct->defined()) return tool.fail_msg("doesn't exist", 2);
            return tool.fail_msg("is not running", 2);
        case cnt::StopOutcome::timed_out:
            return tool.fail_msg("timed out waiting for the container to stop", 1);
        default:
            return 0;
    }
}
