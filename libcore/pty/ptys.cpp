#include <fcntl.h>
#include <stdlib.h>
#include <termios.h>
#include <unistd.h>

#include "pty/pty.hpp"

namespace cnt::pty {

// The container's console and tty ptys, allocated by the monitor in the host's devpts.
namespace {

Result<Pty> open_pty(bool raw) {
    Pty p;
    p.master.reset(::posix_openpt(O_RDWR | O_NOCTTY | O_CLOEXEC));
    if (!p.master) return sys_error("allocating a pty (/dev/ptmx)");
    if (::grantpt(p.master.get()) != 0 || ::unlockpt(p.master.get()) != 0)
        return sys_error("unlocking a pty");
    char name[128];
    if (::ptsname_r(p.master.get(), name, sizeof name) != 0) return sys_error("naming a pty");
    p.slave = name;
    if (raw) {
        struct termios t {};
        if (::tcgetattr(p.master.get(), &t) == 0) {
            ::cfmakeraw(&t);
            ::tcsetattr(p.master.get(), TCSANOW, &t);
        }
    }
    return p;
}

}  // namespace

Result<Ptys> allocate(const config::Config& cfg, bool raw_console) {
    Ptys p;
    if (!(cfg.console.path && *cfg.console.path == "none")) {
        CNT_ASSIGN(c, open_pty(raw_console));
        p.console = std::move(c);
    }
    for (unsigned i = 0; i < cfg.ptys.tty_max; ++i) {
        CNT_ASSIGN(t, open_pty(false));
        p.ttys.push_back(std::move(t));
    }
    return p;
}

Result<void> give_ptys(const Ptys& ptys, uid_t uid, gid_t gid) {
    auto give = [&](const Pty& p) -> Result<void> {
        if (!p.master) return {};
        // Through the master, not the /dev/pts path: the slave is the one this master owns.
        CNT_ASSIGN(slave, open_pty_peer(p.master.get()));
        if (::fchown(slave.get(), uid, gid) != 0)
            return sys_error(cat("giving \"", p.slave, "\" to the container's root"));
        return {};
    };
    CNT_TRY(give(ptys.console));
    for (const auto& t : ptys.ttys) CNT_TRY(give(t));
    return {};
}

}  // namespace cnt::pty
