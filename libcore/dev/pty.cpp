#include "dev/pty.hpp"

#include <fcntl.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include <cstring>

namespace cnt::dev {

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

Result<void> send_fds(int sock, std::span<const int> fds, std::string_view data, const char* step) {
    if (fds.size() > kMaxPassedFds) return errno_error(E2BIG, step);
    iovec iov{const_cast<char*>(data.data()), data.size()};
    alignas(cmsghdr) char cbuf[CMSG_SPACE(sizeof(int) * kMaxPassedFds)];
    msghdr m{};
    m.msg_iov = &iov;
    m.msg_iovlen = 1;
    if (!fds.empty()) {
        m.msg_control = cbuf;
        m.msg_controllen = CMSG_SPACE(sizeof(int) * fds.size());
        cmsghdr* c = CMSG_FIRSTHDR(&m);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(sizeof(int) * fds.size());
        std::memcpy(CMSG_DATA(c), fds.data(), sizeof(int) * fds.size());
    }
    while (::sendmsg(sock, &m, MSG_NOSIGNAL) < 0)
        if (errno != EINTR) return sys_error(step);
    return {};
}

Result<Received> recv_fds(int sock, std::span<char> buf) {
    iovec iov{buf.data(), buf.size()};
    alignas(cmsghdr) char cbuf[CMSG_SPACE(sizeof(int) * kMaxPassedFds)];
    msghdr m{};
    m.msg_iov = &iov;
    m.msg_iovlen = 1;
    m.msg_control = cbuf;
    m.msg_controllen = sizeof cbuf;
    ssize_t n;
    do n = ::recvmsg(sock, &m, MSG_CMSG_CLOEXEC);
    while (n < 0 && errno == EINTR);
    if (n < 0) return sys_error("receiving descriptors");
    Received r;
    r.size = static_cast<size_t>(n);
    r.truncated = (m.msg_flags & (MSG_TRUNC | MSG_CTRUNC)) != 0;
    for (cmsghdr* c = CMSG_FIRSTHDR(&m); c; c = CMSG_NXTHDR(&m, c)) {
        if (c->cmsg_level != SOL_SOCKET || c->cmsg_type != SCM_RIGHTS) continue;
        size_t k = (c->cmsg_len - CMSG_LEN(0)) / sizeof(int);
        for (size_t i = 0; i < k; ++i) {
            int v;
            std::memcpy(&v, CMSG_DATA(c) + i * sizeof(int), sizeof v);
            r.fds.emplace_back(v);
        }
    }
    return r;
}

Result<void> send_fd(int sock, int fd, std::string_view data) {
    if (fd < 0) return send_fds(sock, {}, data, "sending a reply");
    return send_fds(sock, std::span<const int>(&fd, 1), data, "passing a descriptor");
}

Result<unique_fd> recv_fd(int sock, std::string* data) {
    char buf[256];
    auto r = recv_fds(sock, buf);
    if (!r) return sys_error("receiving a descriptor", r.error().err);
    if (data) data->assign(buf, r->size);
    if (r->fds.empty()) return unique_fd();
    return std::move(r->fds.back());
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

SignalFd::SignalFd(std::span<const int> sigs) {
    sigset_t set;
    sigemptyset(&set);
    for (int s : sigs) sigaddset(&set, s);
    if (::sigprocmask(SIG_BLOCK, &set, &old_) != 0) return;
    blocked_ = true;
    fd_.reset(::signalfd(-1, &set, SFD_CLOEXEC | SFD_NONBLOCK));
}

SignalFd::~SignalFd() {
    fd_.reset();
    if (blocked_) ::sigprocmask(SIG_SETMASK, &old_, nullptr);
}

int SignalFd::take() {
    signalfd_siginfo si{};
    if (!fd_ || ::read(fd_.get(), &si, sizeof si) != static_cast<ssize_t>(sizeof si)) return 0;
    return static_cast<int>(si.ssi_signo);
}

}  // namespace cnt::dev
