#include "pty/pty.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

namespace cnt::pty {

namespace {
// Unix 98 pty multiplexer: character device 5:2, whether the devpts node or a /dev node.
constexpr unsigned kPtmxMajor = 5, kPtmxMinor = 2;
}  // namespace

Result<unique_fd> open_ptmx() {
    int last = ENOENT;
    // /dev/pts/ptmx first: it always belongs to the instance mounted there. /dev/ptmx may be a
    // symlink to it (refused by O_NOFOLLOW, and then not needed) or a node, which the kernel
    // maps to the instance at the sibling "pts".
    for (const char* path : {"/dev/pts/ptmx", "/dev/ptmx"}) {
        // O_NONBLOCK: a FIFO planted at the path must not hang us; the relay wants it anyway.
        unique_fd m(::open(path, O_RDWR | O_NOCTTY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK));
        if (!m) {
            // Keep a real failure of the first path (ENOSPC: devpts max reached) over the
            // second path's absence.
            if (last == ENOENT || last == ELOOP || last == ENODEV) last = errno;
            continue;
        }
        struct stat st {};
        if (::fstat(m.get(), &st) != 0) return sys_error(cat("checking \"", path, "\""));
        if (!S_ISCHR(st.st_mode) || major(st.st_rdev) != kPtmxMajor ||
            minor(st.st_rdev) != kPtmxMinor) {
            if (last == ENOENT || last == ELOOP) last = ENODEV;
            continue;
        }
        int unlock = 0;
        if (::ioctl(m.get(), TIOCSPTLCK, &unlock) != 0) return sys_error("unlocking a pty");
        return m;
    }
    return errno_error(last, "allocating a pty (/dev/pts/ptmx)");
}

Result<unique_fd> open_pty_peer(int master) {
    unique_fd s(::ioctl(master, TIOCGPTPEER, O_RDWR | O_NOCTTY | O_CLOEXEC));
    if (!s) return sys_error("opening the pty's slave");
    return s;
}

std::optional<winsize> get_winsize(int fd) {
    winsize ws{};
    if (::ioctl(fd, TIOCGWINSZ, &ws) != 0) return std::nullopt;
    return ws;
}

void set_winsize(int fd, const winsize& ws) { ::ioctl(fd, TIOCSWINSZ, &ws); }

void copy_winsize(int from, int to) {
    struct winsize ws {};
    if (::ioctl(from, TIOCGWINSZ, &ws) == 0) ::ioctl(to, TIOCSWINSZ, &ws);
}

RawTerminal::RawTerminal(int fd, Mode m)
    : fd_(fd), when_(m == Mode::console ? TCSAFLUSH : TCSADRAIN) {
    if (::tcgetattr(fd, &old_) != 0) return;
    termios t = old_;
    ::cfmakeraw(&t);
    if (m == Mode::console) t.c_oflag |= OPOST;
    if (::tcsetattr(fd, when_, &t) == 0) active_ = true;
}

void RawTerminal::restore() {
    if (active_) ::tcsetattr(fd_, when_, &old_);
    active_ = false;
}

}  // namespace cnt::pty
