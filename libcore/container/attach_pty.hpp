// cnt-attach on a terminal: the command gets a pty of the container's own devpts instance and
// the caller's terminal is relayed to its master.
#pragma once
#include <sys/ioctl.h>
#include <sys/types.h>
#include <termios.h>

#include "base/signal_fd.hpp"
#include "cnt/error.hpp"
#include "cnt/fd.hpp"

namespace cnt::attach_pty {

// The signals the relay handles itself (blocked from before the fork until it returns):
// SIGWINCH resizes the pty, the others end the relay.
inline constexpr int kSignals[] = {SIGWINCH, SIGHUP, SIGINT, SIGQUIT, SIGTERM};

// In the attached process, inside the container's mount namespace, before dropping
// privileges: open a pty there, give it `size` and `modes`, send the master over `sock`, make
// the slave the controlling terminal of a new session and stdin/stdout/stderr. `sock` is
// closed before stdio is replaced.
// uid: the user the command will run as (owns the slave, as login(1) would arrange).
Result<void> setup_child(unique_fd sock, const winsize* size, const termios* modes,
                         const uid_t* uid);

// In the caller: relay stdin -> master and master -> stdout until the process behind
// `child_pidfd` exits (then whatever the command wrote last is still shown). SIGWINCH copies
// the caller's window size to the master. Returns 0 when the process exited, else the
// terminating signal that ended the relay first.
int relay(int master, int child_pidfd, SignalFd& sigs);

}  // namespace cnt::attach_pty
