// cnt-unshare: run a command in new namespaces, as lxc-unshare.
#include "cli.hpp"
#include "cnt/unshare.hpp"

int main(int argc, char** argv) {
    namespace po = cnt::cli::po;
    cnt::cli::Tool tool("cnt-unshare", "-s NAMESPACES [-u UID] [-H HOSTNAME] [-M] -- COMMAND",
                        "Run COMMAND in a new set of namespaces (MOUNT, PID, UTSNAME, IPC, USER, "
                        "NETWORK, CGROUP, joined with '|').");
    tool.no_name().no_rcfile().with_args();
    tool.opts().add_options()("namespaces,s", po::value<std::string>(), "NAMESPACES to unshare")(
        "user,u", po::value<unsigned>(), "UID to run the command as")(
        "hostname,H", po::value<std::string>(), "HOSTNAME in the new UTS namespace")(
        "remount,M", "mount a new /proc (and /dev/mqueue) for the new namespaces");
    if (auto rc = tool.parse(argc, argv)) return *rc;
    if (!tool.has("namespaces")) return tool.fail_msg("missing -s NAMESPACES");
    auto flags = cnt::unshare::parse_namespaces(tool.vm()["namespaces"].as<std::string>());
    if (!flags) return tool.fail(flags.error());
    cnt::unshare::Options o;
    o.flags = *flags;
    if (tool.has("user")) o.uid = tool.vm()["user"].as<unsigned>();
    if (tool.has("hostname")) o.hostname = tool.vm()["hostname"].as<std::string>();
    o.remount = tool.has("remount");
    o.command = tool.common().args;
    if (o.command.empty()) return tool.fail_msg("no command given");
    auto r = cnt::unshare::run(o);
    if (!r) return tool.fail(r.error());
    return *r;
}
