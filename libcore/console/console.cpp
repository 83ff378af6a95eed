#include "cnt/console.hpp"

#include <poll.h>
#include <unistd.h>

#include <cstdio>

#include "base/fd_util.hpp"
#include "base/signal_fd.hpp"
#include "commands/commands.hpp"
#include "pty/pty.hpp"

namespace cnt {

namespace {

void greet(int tty, char escape, int master) {
    if (!::isatty(STDIN_FILENO)) return;
    const char e = static_cast<char>('a' + escape - 1);
    std::fprintf(stderr,
                 "\nConnected to tty %d\nType <Ctrl+%c q> to exit the console, "
                 "<Ctrl+%c Ctrl+%c> to enter Ctrl+%c itself\n",
                 tty, e, e, e, e);
    pty::copy_winsize(STDIN_FILENO, master);
}

// One attached console: the terminal in raw mode relays to the pty's master and back.
class Relay {
  public:
    Relay(int master, int conn, char escape)
        : master_(master), conn_(conn), escape_(escape), raw_(STDIN_FILENO) {}

    Result<void> run() {
        for (;;) {
            pollfd fds[4] = {{in_open_ ? STDIN_FILENO : -1, POLLIN, 0},
                             {master_, POLLIN, 0},
                             {conn_, POLLIN, 0},
                             {sigs_.fd(), POLLIN, 0}};
            if (::poll(fds, 4, -1) < 0) {
                if (errno == EINTR) continue;
                return sys_error("polling the console");
            }
            if (fds[1].revents & POLLIN) copy_output();
            if ((fds[3].revents & POLLIN) && take_signals()) break;
            // The monitor closed our connection: the container stopped.
            if (fds[2].revents) break;
            if (fds[1].revents & (POLLHUP | POLLERR) && !(fds[1].revents & POLLIN)) break;
            if ((fds[0].revents & (POLLIN | POLLHUP)) && copy_input()) break;
        }
        return {};
    }

  private:
    void copy_output() {
        char buf[4096];
        ssize_t n = ::read(master_, buf, sizeof buf);
        if (n > 0) write_all(STDOUT_FILENO, buf, static_cast<size_t>(n));
    }

    // Resizes go on to the pty; true: a hangup or kill ends the session.
    bool take_signals() {
        bool detach = false;
        while (int sig = sigs_.take()) {
            if (sig == SIGWINCH)
                pty::copy_winsize(STDIN_FILENO, master_);
            else
                detach = true;
        }
        return detach;
    }

    // What was typed, to the pty; true: <escape q> ends the session.
    bool copy_input() {
        char buf[1024];
        ssize_t n = ::read(STDIN_FILENO, buf, sizeof buf);
        if (n <= 0) {
            in_open_ = false;
            return false;
        }
        std::string out;
        bool quit = unescape(std::string_view(buf, static_cast<size_t>(n)), out);
        write_all(master_, out.data(), out.size());
        return quit;
    }

    // The input without escapes: <esc><esc> and any other pair send the second char; true at
    // <esc q> (what came before it is in `out`).
    bool unescape(std::string_view in, std::string& out) {
        for (char ch : in) {
            if (pending_escape_) {
                pending_escape_ = false;
                if (ch == 'q') return true;
                out += ch;
            } else if (ch == escape_) {
                pending_escape_ = true;
            } else {
                out += ch;
            }
        }
        return false;
    }

    static constexpr int kSignals[] = {SIGWINCH, SIGHUP, SIGTERM};
    const int master_, conn_;
    const char escape_;
    SignalFd sigs_{kSignals};
    pty::RawTerminal raw_;
    bool pending_escape_ = false, in_open_ = true;
};

}  // namespace

Result<void> console(const Container& c, const ConsoleOptions& o) {
    auto r = commands::request(c.paths(), cat("console ", o.tty));
    if (!r) return std::unexpected(std::move(r.error()).within("asking the monitor for a console"));
    if (r->line.rfind("ok", 0) != 0 || !r->fd) return error("monitor refused: ", r->line);
    int tty = std::atoi(r->line.c_str() + 2);
    greet(tty, o.escape, r->fd.get());
    return Relay(r->fd.get(), r->conn.get(), o.escape).run();
}

}  // namespace cnt
