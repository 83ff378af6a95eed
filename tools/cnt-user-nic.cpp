// cnt-user-nic: setuid-root helper (installed mode 4755) that gives a normal user's container
// a veth on a host bridge granted in /etc/cnt/cnt-usernet. See libcore/cnt/usernic.hpp.
// Nothing of the caller's is trusted: the environment is cleared and inherited descriptors
// closed before any other code runs, paths are compiled in, and the real uid is the caller.
#include <fcntl.h>
#include <grp.h>
#include <linux/close_range.h>
#include <signal.h>
#include <sys/resource.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <boost/program_options.hpp>
#include <cstdlib>
#include <cstring>
#include <iostream>
#include <optional>
#include <string>
#include <vector>

#include "cnt/log.hpp"
#include "cnt/usernic.hpp"

#ifndef CNT_VERSION
#define CNT_VERSION "0"
#endif

// Runs before every other constructor (libnl's read NLDBG and NLSYSCONFDIR from the
// environment): no environment, fds 0-2 open (a file opened later must never become the
// caller's "stdout"), nothing else inherited, no file size limit to cut the state file short.
__attribute__((constructor(101))) static void sanitize() {
    ::clearenv();
    for (int fd = 0; fd < 3; ++fd)
        if (::fcntl(fd, F_GETFD) < 0 && ::open("/dev/null", O_RDWR) != fd) ::_exit(126);
    if (::syscall(SYS_close_range, 3U, ~0U, 0U) != 0)
        for (int fd = 3; fd < 1024; ++fd) ::close(fd);
    ::umask(022);
    struct rlimit inf {
        RLIM_INFINITY, RLIM_INFINITY
    };
    (void)::setrlimit(RLIMIT_FSIZE, &inf);
    ::signal(SIGXFSZ, SIG_IGN);
}

namespace {

constexpr const char* kUsage = "create LXCPATH NAME PID veth BRIDGE [NICNAME]";

void help() {
    std::cout << "Usage: cnt-user-nic " << kUsage << "\n\n"
              << "Create a veth pair for a container of the calling user: the host end joins\n"
                 "BRIDGE, the other end moves into the network namespace of process PID as\n"
                 "NICNAME (default eth0). Prints \"NICNAME HOSTIF\". Allowed bridges and counts\n"
              << "come from " << cnt::usernic::kUsernetPath
              << " (USER veth BRIDGE COUNT, @GROUP ...).\n\n"
                 "Options:\n  -h, --help     show this help\n  --version      show the version\n";
}

// The caller's uid is kept; the process itself becomes root through and through, so that
// the caller can no longer signal, stop or trace it while it holds the state lock.
bool become_root() {
    return ::setgroups(0, nullptr) == 0 && ::setresgid(0, 0, 0) == 0 && ::setresuid(0, 0, 0) == 0;
}

// The command line through Boost.Program_options as every tool's, but only --help (and -h,
// alone, as LXC's helpers take it), --version and the positional words: no option of the common
// ones (a log file, a config path) may reach a setuid program.
std::optional<std::vector<std::string>> parse_command_line(int argc, char** argv, int& rc) {
    namespace po = boost::program_options;
    po::options_description opts("Options");
    opts.add_options()("help", "show this help")("version", "show the version");
    po::options_description all;
    all.add(opts).add_options()("args", po::value<std::vector<std::string>>());
    po::positional_options_description pos;
    pos.add("args", -1);
    po::variables_map vm;
    try {
        // No short options: "-1" is a (bad) PID for parse_args to name, not an option.
        const auto style = po::command_line_style::unix_style ^ po::command_line_style::allow_short;
        po::store(
            po::command_line_parser(argc, argv).options(all).positional(pos).style(style).run(),
            vm);
    } catch (const po::error& e) {
        cnt::log::error(e.what(), " (usage: cnt-user-nic ", kUsage, ")");
        rc = 1;
        return std::nullopt;
    }
    rc = 0;
    if (vm.count("help")) return help(), std::nullopt;
    if (vm.count("version")) return std::cout << CNT_VERSION << '\n', std::nullopt;
    return vm.count("args") ? vm["args"].as<std::vector<std::string>>()
                            : std::vector<std::string>{};
}

}  // namespace

int main(int argc, char** argv) {
    cnt::log::Settings ls;
    ls.prog = "cnt-user-nic";
    cnt::log::configure(ls);
    if (argc == 2 && std::string_view(argv[1]) == "-h") return help(), 0;
    int rc = 0;
    auto args = parse_command_line(argc, argv, rc);
    if (!args) return rc;
    const uid_t caller = ::getuid();
    if (::geteuid() != 0) {
        cnt::log::error("must be installed setuid root (mode 4755, owned by root)");
        return 1;
    }
    if (!become_root()) {
        cnt::log::error("dropping the caller's identity: ", std::strerror(errno));
        return 1;
    }
    auto req = cnt::usernic::parse_args(*args);
    if (!req) {
        cnt::log::error(req.error().message());
        return 1;
    }
    auto made = cnt::usernic::create(*req, caller);
    if (!made) {
        cnt::log::error(req->container, ": ", made.error().message());
        return 1;
    }
    std::cout << made->nicname << ' ' << made->host_if << '\n';
    return 0;
}
