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

#include <cstdlib>
#include <cstring>
#include <iostream>
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

}  // namespace

int main(int argc, char** argv) {
    cnt::log::Settings ls;
    ls.prog = "cnt-user-nic";
    cnt::log::configure(ls);
    std::vector<std::string> args(argv + (argc > 0 ? 1 : argc), argv + argc);
    if (args.size() == 1 && (args[0] == "-h" || args[0] == "--help")) return help(), 0;
    if (args.size() == 1 && args[0] == "--version") return std::cout << CNT_VERSION << '\n', 0;
    const uid_t caller = ::getuid();
    if (::geteuid() != 0) {
        cnt::log::error("must be installed setuid root (mode 4755, owned by root)");
        return 1;
    }
    if (!become_root()) {
        cnt::log::error("dropping the caller's identity: ", std::strerror(errno));
        return 1;
    }
    auto req = cnt::usernic::parse_args(args);
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
