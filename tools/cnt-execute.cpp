// cnt-execute: run one command as an application container (lxc-execute). Our static init
// (cnt-init, run from a sealed memfd copy the monitor makes) is pid 1 and runs the command as
// pid 2.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cli.hpp"
#include "cnt/container.hpp"

int main(int argc, char** argv) {
    namespace po = cnt::cli::po;
    cnt::cli::Tool tool("cnt-execute",
                        "-n NAME [-f RCFILE] [-s KEY=VAL]... [-u UID] [-g GID] [-d] -- COMMAND",
                        "Run a command in a new application container.");
    tool.rcfile_as_f().with_defines().with_args();
    tool.opts().add_options()("uid,u", po::value<unsigned>(), "UID to run the command as")(
        "gid,g", po::value<unsigned>(), "GID to run the command as")(
        "daemon,d", po::bool_switch(), "run in the background; exit 0 once it runs");
    if (auto rc = tool.parse(argc, argv)) return *rc;
    const auto& o = tool.common();

    auto c = cnt::Container::open(o.name, o.lxcpath);
    if (!c) return tool.fail(c.error());

    constexpr int kUnset = -1;  // not a status waitpid can return
    int status = kUnset;
    cnt::StartOptions so;
    so.daemonize = tool.vm()["daemon"].as<bool>();
    so.execute = true;
    so.command = o.args;  // empty: the runtime takes lxc.execute.cmd
    so.rcfile = o.rcfile;
    so.defines = o.defines;
    // -u/-g are lxc.init.uid/gid for this run.
    if (tool.vm().count("uid"))
        so.defines.push_back("lxc.init.uid=" + std::to_string(tool.vm()["uid"].as<unsigned>()));
    if (tool.vm().count("gid"))
        so.defines.push_back("lxc.init.gid=" + std::to_string(tool.vm()["gid"].as<unsigned>()));
    so.logfile = o.logfile;
    so.loglevel = o.loglevel;
    so.exit_status = &status;
    so.exit_when_running = so.daemonize;  // nothing follows a started daemon here
    if (auto r = c->start(so); !r) return tool.fail(r.error());
    if (so.daemonize) return 0;
    if (status == kUnset)
        return tool.fail_msg("the runtime did not report the command's exit status");

    // cnt-init exits 128+N when the command died by signal N; a signal death of init itself
    // (killed from outside) is re-raised on ourselves, as lxc-execute does.
    if (WIFSIGNALED(status)) {
        int sig = WTERMSIG(status);
        ::signal(sig, SIG_DFL);
        ::raise(sig);
        return 128 + sig;
    }
    if (WIFEXITED(status)) {
        int code = WEXITSTATUS(status);
        if (code > 128 && code < 128 + NSIG) {
            int sig = code - 128;
            if (sig != SIGKILL && sig != SIGSTOP) ::signal(sig, SIG_DFL);
            ::raise(sig);
        }
        return code;
    }
    return 1;
}
