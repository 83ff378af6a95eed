// Terminal relays: a pty allocated in a chosen devpts instance, the caller's terminal in raw
// mode, window sizes, and signals read from a descriptor so a poll loop can handle them.
#pragma once
#include <signal.h>
#include <sys/ioctl.h>
#include <termios.h>

#include <optional>
#include <span>
#include <string>
#include <string_view>
#include <vector>

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

// Pass descriptors over a unix socket (SCM_RIGHTS, at most kMaxPassedFds) with `data` in one
// message; `step` names the sending in an error. recv_fds reads one message into `buf` (its
// size, 0 on EOF) with its descriptors, close-on-exec; `truncated` says the message or its
// descriptors did not fit.
inline constexpr size_t kMaxPassedFds = 64;
Result<void> send_fds(int sock, std::span<const int> fds, std::string_view data, const char* step);
struct Received {
    size_t size = 0;
    std::vector<unique_fd> fds;
    bool truncated = false;
};
Result<Received> recv_fds(int sock, std::span<char> buf);

// One descriptor with `data` (at most 256 bytes); fd < 0 sends the data alone. recv_fd gives
// an empty unique_fd when none came, and stores the data in *data (empty on EOF). The monitor's
// command socket and the attach pty use these.
Result<void> send_fd(int sock, int fd, std::string_view data = "F");
Result<unique_fd> recv_fd(int sock, std::string* data = nullptr);

// A terminal set raw (cfmakeraw) while this object lives; the old settings come back at
// destruction or restore(). A descriptor that is not a terminal is left alone (!active()).
class RawTerminal {
  public:
    enum class Mode {
        // The console cnt-start -F relays: typed-ahead input is dropped (TCSAFLUSH) and output
        // keeps \n -> \r\n for the messages printed on the same terminal.
        console,
        // A pty relay (cnt-attach): input typed ahead is kept for the command (TCSADRAIN) and
        // output is raw (the pty's own line discipline does echo, signals and newlines).
        relay,
    };
    explicit RawTerminal(int fd, Mode m = Mode::console);
    ~RawTerminal() { restore(); }
    RawTerminal(const RawTerminal&) = delete;
    RawTerminal& operator=(const RawTerminal&) = delete;
    void restore();
    bool active() const { return active_; }

  private:
    int fd_;
    int when_;
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
