// Ptys: the container's console and ttys (masters stay in the monitor), and what the terminal
// relays use: a pty allocated in a chosen devpts instance, window sizes, the caller's terminal
// in raw mode.
#pragma once
#include <sys/ioctl.h>
#include <sys/types.h>
#include <termios.h>

#include <optional>
#include <string>
#include <vector>

#include "cnt/config.hpp"
#include "cnt/error.hpp"
#include "cnt/fd.hpp"

namespace cnt::pty {

// ---- the container's console and ttys (ptys.cpp) ----------------------------------------
struct Pty {
    unique_fd master;
    std::string slave;  // /dev/pts/N in the monitor's (host's) devpts
};
struct Ptys {
    Pty console;            // master invalid when lxc.console.path = none
    std::vector<Pty> ttys;  // lxc.tty.max of them: /dev/tty1..N
};
// Allocate the console (unless disabled) and tty ptys in the host's devpts. `raw`: the console
// line discipline does no translation (output forwarded to a non-terminal).
Result<Ptys> allocate(const config::Config& cfg, bool raw_console);

// Give the console and tty slaves to the container's root (host ids `uid`, `gid`): in a user
// namespace they are otherwise host root's, which the container's root cannot open.
Result<void> give_ptys(const Ptys& ptys, uid_t uid, gid_t gid);

// ---- terminal relays (pty.cpp) ----------------------------------------------------------
// A new pty master from the devpts instance mounted at /dev/pts in the caller's mount
// namespace (/dev/pts/ptmx, else /dev/ptmx), unlocked, non-blocking. The path may be owned by
// a container: it is opened without following symlinks and must be the ptmx device (5:2).
Result<unique_fd> open_ptmx();
// The slave of `master`, opened through the master (TIOCGPTPEER) rather than by a path the
// container could have replaced; not yet anyone's controlling terminal.
Result<unique_fd> open_pty_peer(int master);

std::optional<winsize> get_winsize(int fd);
void set_winsize(int fd, const winsize& ws);
// Copy the window size of terminal `from` to pty master `to`.
void copy_winsize(int from, int to);

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

}  // namespace cnt::pty
