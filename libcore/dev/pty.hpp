// Terminal relays: a pty allocated in a chosen devpts instance, the caller's terminal in raw
// mode, window sizes, and signals read from a descriptor so a poll loop can handle them.
#pragma once
#include <signal.h>
#include <sys/ioctl.h>
#include <termios.h>

#include <optional>
#include <span>

#include "cnt/error.hpp"
#include "cnt/fd.hpp"

namespace cnt::dev {

// A new pty master from the devpts instance mounted at /dev/pts in the caller's mount
// namespace (/dev/pts/ptmx, else /dev/ptmx), unlocked, non-blocking. The path may be owned by
// a container: it is opened without following symlinks and must be the ptmx device (5:2).
Result<unique_fd> open_ptmx();
// The slave of `master`, opened through the master (TIOCGPTPEER) rather than by a path the
// container could have replaced; not yet anyone's controlling terminal.
Result<unique_fd> open_pty_peer(int master);

std::optional<winsize> get_winsize(int fd);
void set_winsize(int fd, const winsize& ws);

// Pass one descriptor over a unix socket (SCM_RIGHTS); recv_fd gives an empty unique_fd on EOF.
Result<void> send_fd(int sock, int fd);
Result<unique_fd> recv_fd(int sock);

// The caller's terminal in raw mode for relaying a pty: every byte passes both ways untouched
// (the pty's own line discipline does echo, signals and newline translation). The old settings
// come back at destruction or restore().
class RelayTerminal {
public:
    explicit RelayTerminal(int fd);
    ~RelayTerminal() { restore(); }
    RelayTerminal(const RelayTerminal&) = delete;
    RelayTerminal& operator=(const RelayTerminal&) = delete;
    void restore();
    bool active() const { return active_; }

private:
    int fd_;
    bool active_ = false;
    termios old_{};
};

// Signals blocked and delivered through a signalfd while this object lives; the old mask comes
// back at destruction (a signal still pending then gets its normal disposition).
class SignalFd {
public:
    explicit SignalFd(std::span<const int> sigs);
    ~SignalFd();
    SignalFd(const SignalFd&) = delete;
    SignalFd& operator=(const SignalFd&) = delete;
    int fd() const { return fd_.get(); }
    // The next pending signal, 0 when none is.
    int take();

private:
    unique_fd fd_;
    sigset_t old_{};
    bool blocked_ = false;
};

}  // namespace cnt::dev
