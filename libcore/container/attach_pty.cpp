#include "container/attach_pty.hpp"

#include <fcntl.h>
#include <poll.h>
#include <unistd.h>

#include "base/fd_passing.hpp"
#include "base/fd_util.hpp"
#include "pty/pty.hpp"

namespace cnt::attach_pty {

Result<void> setup_child(unique_fd sock, const winsize* size, const termios* modes,
                         const uid_t* uid) {
    CNT_ASSIGN(master, pty::open_ptmx());
    CNT_ASSIGN(peer, pty::open_pty_peer(master.get()));
    // Above stdio (which may have been closed and reused), so the dup2s below never close it.
    unique_fd slave(::fcntl(peer.get(), F_DUPFD_CLOEXEC, 3));
    if (!slave) return sys_error("duplicating the pty's slave");
    peer.reset();
    // Before the command runs, so its first look at the terminal already sees them.
    if (modes) ::tcsetattr(slave.get(), TCSANOW, modes);
    if (size) pty::set_winsize(master.get(), *size);
    if (uid && ::fchown(slave.get(), *uid, static_cast<gid_t>(-1)) != 0)
        return sys_error("giving the pty to the user");
    CNT_TRY(send_fd(sock.get(), master.get()));
    master.reset();
    sock.reset();
    // A terminal becomes the controlling one only for a session leader without one.
    if (::setsid() < 0) return sys_error("creating a session");
    if (::ioctl(slave.get(), TIOCSCTTY, 0) != 0)
        return sys_error("making the pty the controlling terminal");
    for (int i = 0; i < 3; ++i)
        if (::dup2(slave.get(), i) < 0) return sys_error("redirecting stdio to the pty");
    return {};
}

int relay(int master, int child_pidfd, SignalFd& sigs) {
    bool in_open = true, master_open = true;
    char buf[8192];
    for (;;) {
        pollfd fds[4] = {{in_open ? STDIN_FILENO : -1, POLLIN, 0},
                         {master_open ? master : -1, POLLIN, 0},
                         {sigs.fd(), POLLIN, 0},
                         {child_pidfd, POLLIN, 0}};
        if (::poll(fds, 4, -1) < 0) {
            if (errno == EINTR) continue;
            break;
        }
        if (fds[1].revents) {
            // EIO once every slave descriptor is closed and the input is drained: the command
            // may go on without its terminal, so only the process's exit ends the relay.
            ssize_t n = ::read(master, buf, sizeof buf);
            if (n > 0)
                write_all(STDOUT_FILENO, buf, static_cast<size_t>(n));
            else if (n == 0 || errno != EAGAIN)
                master_open = false;
        }
        // Signals before input: what was typed after a resize must find the new size.
        if (fds[2].revents & POLLIN)
            while (int sig = sigs.take()) {
                if (sig != SIGWINCH) return sig;
                // The kernel sends SIGWINCH on to the pty's foreground process group.
                if (auto ws = pty::get_winsize(STDIN_FILENO)) pty::set_winsize(master, *ws);
            }
        if (fds[0].revents & (POLLIN | POLLHUP | POLLERR)) {
            ssize_t n = ::read(STDIN_FILENO, buf, sizeof buf);
            if (n > 0) {
                if (master_open) write_all(master, buf, static_cast<size_t>(n));
            } else if (n == 0 || errno != EAGAIN) {
                in_open = false;
            }
        }
        if (fds[3].revents) break;
    }
    // The command has exited; what it wrote last waits in the pty. Bounded: a process it left
    // behind may still be writing.
    for (int i = 0; master_open && i < 64; ++i) {
        ssize_t n = ::read(master, buf, sizeof buf);
        if (n <= 0) break;
        write_all(STDOUT_FILENO, buf, static_cast<size_t>(n));
    }
    return 0;
}

}  // namespace cnt::attach_pty
