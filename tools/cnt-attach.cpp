// cnt-attach: run a command in a running container; exit status is the command's.
#include <sched.h>
#include <unistd.h>

#include <iostream>
#include <sstream>

#include "cli.hpp"
#include "cnt/container.hpp"

namespace {
// lxc-attach -s: names joined with '|'; 0 when one is unknown.
int parse_namespaces(const std::string& s) {
    int mask = 0;
    std::stringstream in(s);
    for (std::string w; std::getline(in, w, '|');) {
        if (w == "MOUNT")
            mask |= CLONE_NEWNS;
        else if (w == "PID")
            mask |= CLONE_NEWPID;
        else if (w == "UTSNAME")
            mask |= CLONE_NEWUTS;
        else if (w == "IPC")
            mask |= CLONE_NEWIPC;
        else if (w == "USER")
            mask |= CLONE_NEWUSER;
        else if (w == "NETWORK")
            mask |= CLONE_NEWNET;
        else if (w == "CGROUP")
            mask |= CLONE_NEWCGROUP;
        else
            return 0;
    }
    return mask;
}

// lxc-attach -e: CAP, CGROUP and LSM joined with '|'; 0 when one is unknown.
unsigned parse_privileges(const std::string& s) {
    using O = cnt::AttachOptions;
    unsigned mask = 0;
    std::stringstream in(s);
    for (std::string w; std::getline(in, w, '|');) {
        if (w == "CAP")
            mask |= O::kElevateCap;
        else if (w == "CGROUP")
            mask |= O::kElevateCgroup;
        else if (w == "LSM")
            mask |= O::kElevateLsm;
        else
            return 0;
    }
    return mask;
}
}  // namespace

int main(int argc, char** argv) {
    namespace po = cnt::cli::po;
    cnt::cli::Tool tool("cnt-attach",
                        "-n NAME [-e[PRIVILEGES]] [-s NAMESPACES] [--clear-env] [-v VAR=VAL]... "
                        "[-u UID] [-g GID] [-- COMMAND]",
                        "Run a command inside a running container.");
    tool.with_args();
    tool.opts().add_options()("elevated-privileges,e",
                              po::value<std::string>()->implicit_value("CAP|CGROUP|LSM"),
                              "keep the caller's PRIVILEGES: CAP|CGROUP|LSM (all without a value)")(
        "namespaces,s", po::value<std::string>(),
        "NAMESPACES to join: MOUNT|PID|UTSNAME|IPC|USER|NETWORK|CGROUP")(
        "clear-env", "start from an empty environment")(
        "keep-env", "keep the environment (default)")("keep-var",
                                                      po::value<std::vector<std::string>>(),
                                                      "NAME: keep this variable with --clear-env")(
        "set-var,v", po::value<std::vector<std::string>>(), "NAME=VAL: set a variable")(
        "uid,u", po::value<unsigned>(), "UID to run as")("gid,g", po::value<unsigned>(),
                                                         "GID to run as");
    if (auto rc = tool.parse(argc, argv)) return *rc;
    const auto& c = tool.common();
    cnt::AttachOptions o;
    o.command = c.args;
    o.clear_env = tool.has("clear-env");
    if (tool.has("elevated-privileges")) {
        o.elevated = parse_privileges(tool.vm()["elevated-privileges"].as<std::string>());
        if (!o.elevated) return tool.fail_msg("invalid privilege list");
    }
    o.terminal = ::isatty(STDIN_FILENO) && ::isatty(STDOUT_FILENO);
    if (tool.has("keep-var")) o.keep_vars = tool.vm()["keep-var"].as<std::vector<std::string>>();
    if (tool.has("set-var")) o.set_vars = tool.vm()["set-var"].as<std::vector<std::string>>();
    if (tool.has("uid")) o.uid = tool.vm()["uid"].as<unsigned>();
    if (tool.has("gid")) o.gid = tool.vm()["gid"].as<unsigned>();
    if (tool.has("namespaces")) {
        o.namespaces = parse_namespaces(tool.vm()["namespaces"].as<std::string>());
        if (!o.namespaces) return tool.fail_msg("invalid namespace list");
        o.elevated = cnt::AttachOptions::kElevateAll;  // as lxc-attach: -s implies -e
    }
    auto ct = cnt::Container::open(c.name, c.lxcpath);
    if (!ct) return tool.fail(ct.error());
    if (!ct->defined() && c.rcfile.empty() && ct->state() == cnt::State::stopped)
        return tool.fail_msg("doesn't exist");
    if (auto s = ct->reexec_sealed(argv); !s) return tool.fail(s.error());
    auto r = ct->attach(o);
    if (!r) return tool.fail(r.error());
    return *r;
}
