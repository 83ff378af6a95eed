#include "cnt/console.hpp"

#include <poll.h>
#include <unistd.h>

#include <cstdio>

#include "base/fd_util.hpp"
#include "base/signal_fd.hpp"
#include "commands/commands.hpp"
#include "pty/pty.hpp"

namespace cnt {

Result<void> console(const Container& c, const ConsoleOptions& o) {
    auto r = commands::request(c.paths(), cat("console ", o.tty));
    if (!r) return std::unexpected(std::move(r.error()).within("asking the monitor for a console"));
    if (r->line.rfind("ok", 0) != 0 || !r->fd) return error("monitor refused: ", r->line);
    int tty = std::atoi(r->line.c_str() + 2);
    int master = r->fd.get();
    if (::isatty(STDIN_FILENO)) {
        std::fprintf(stderr,
                     "\nConnected to tty %d\nType <Ctrl+%c q> to exit the console, "
                     "<Ctrl+%c Ctrl+%c> to enter Ctrl+%c itself\n",
                     tty, 'a' + o.escape - 1, 'a' + o.escape - 1, 'a' + o.escape - 1,
                     'a' + o.escape - 1);
        pty::copy_winsize(STDIN_FILENO, master);
    }
    // Resizes go on to the pty; a hangup or kill ends the session with the terminal restored.
    static constexpr int kSignals[] = {SIGWINCH, SIGHUP, SIGTERM};
    SignalFd sigs(kSignals);
    pty::RawTerminal raw(STDIN_FILENO);
    bool pending_escape = false, in_open = true;
    for (;;) {
        pollfd fds[4] = {{in_open ? STDIN_FILENO : -1, POLLIN, 0},
                         {master, POLLIN, 0},
                         {r->conn.get(), POLLIN, 0},
                         {sigs.fd(), POLLIN, 0}};
        if (::poll(fds, 4, -1) < 0) {
            if (errno == EINTR) continue;
            return sys_error("polling the console");
        }
        if (fds[1].revents & POLLIN) {
            char buf[4096];
            ssize_t n = ::read(master, buf, sizeof buf);
            if (n > 0) write_all(STDOUT_FILENO, buf, static_cast<size_t>(n));
        }
        if (fds[3].revents & POLLIN) {
            bool detach = false;
            while (int sig = sigs.take()) {
                if (sig == SIGWINCH)
                    pty::copy_winsize(STDIN_FILENO, master);
                else
                    detach = true;
            }
            if (detach) break;
        }
        // The monitor closed our connection: the container stopped.
        if (fds[2].revents) break;
        if (fds[1].revents & (POLLHUP | POLLERR) && !(fds[1].revents & POLLIN)) break;
        if (fds[0].revents & (POLLIN | POLLHUP)) {
            char buf[1024];
            ssize_t n = ::read(STDIN_FILENO, buf, sizeof buf);
            if (n <= 0) {
                in_open = false;
                continue;
            }
            std::string out;
            for (ssize_t i = 0; i < n; ++i) {
                char ch = buf[i];
                if (pending_escape) {
                    pending_escape = false;
                    if (ch == 'q') {
                        write_all(master, out.data(), out.size());
                        return {};
                    }
                    out += ch;  // <esc><esc> and any other pair send the second char
                    continue;
                }
                if (ch == o.escape) {
                    pending_escape = true;
                    continue;
                }
                out += ch;
            }
            write_all(master, out.data(), out.size());
        }
    }
    return {};
}

}  // namespace cnt
