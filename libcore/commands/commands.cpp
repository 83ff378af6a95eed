#include "commands/commands.hpp"

#include <fcntl.h>
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <unistd.h>

#include <cstring>

#include "base/fd_passing.hpp"

namespace cnt::commands {

namespace {
Result<sockaddr_un> address(const std::string& path) {
    sockaddr_un a{};
    a.sun_family = AF_UNIX;
    if (path.size() >= sizeof a.sun_path)
        return errno_error(ENAMETOOLONG, cat("socket path \"", path, "\""));
    std::memcpy(a.sun_path, path.c_str(), path.size() + 1);
    return a;
}
}  // namespace

Result<unique_fd> listen(const std::string& path) {
    CNT_ASSIGN(a, address(path));
    unique_fd s(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0));
    if (!s) return sys_error("creating the command socket");
    ::unlink(path.c_str());
    if (::bind(s.get(), reinterpret_cast<sockaddr*>(&a), sizeof a) != 0)
        return sys_error(cat("binding the command socket \"", path, "\""));
    // From the bind on, the socket file is ours: a failure removes it.
    auto fail = [&](const char* step) {
        int e = errno;
        ::unlink(path.c_str());
        return sys_error(cat(step, " \"", path, "\""), e);
    };
    if (::chmod(path.c_str(), 0600) != 0) return fail("restricting the command socket");
    if (::listen(s.get(), 16) != 0) return fail("listening on the command socket");
    return s;
}

namespace {
// A connection to the monitor with one request line sent.
Result<unique_fd> send_request(const store::Paths& p, const std::string& req) {
    CNT_ASSIGN(a, address(p.socket()));
    unique_fd s(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (!s) return sys_error("creating a socket");
    if (::connect(s.get(), reinterpret_cast<sockaddr*>(&a), sizeof a) != 0)
        return sys_error("connecting to the monitor");
    std::string line = req + "\n";
    if (::send(s.get(), line.data(), line.size(), MSG_NOSIGNAL) !=
        static_cast<ssize_t>(line.size()))
        return sys_error("sending to the monitor");
    return s;
}
}  // namespace

Result<Reply> request(const store::Paths& p, const std::string& req) {
    CNT_ASSIGN(s, send_request(p, req));
    Reply r;
    CNT_ASSIGN(fd, recv_fd(s.get(), &r.line));
    if (r.line.empty()) return errno_error(ECONNRESET, "reading the monitor's reply");
    r.fd = std::move(fd);
    while (!r.line.empty() && (r.line.back() == '\n' || r.line.back() == '\0')) r.line.pop_back();
    r.conn = std::move(s);
    return r;
}

unique_fd watch_teardown(const store::Paths& p) {
    auto s = send_request(p, "wait");
    return s ? std::move(*s) : unique_fd{};
}

Teardown await_teardown(int conn, int monitor_pidfd, int ms) {
    pollfd fds[2] = {{monitor_pidfd, POLLIN, 0}, {conn, POLLIN, 0}};
    std::string got;
    for (;;) {
        int r = ::poll(fds, 2, ms);
        if (r < 0 && errno == EINTR) continue;
        if (r <= 0) return Teardown::timed_out;
        if (fds[1].revents) {
            char buf[64];
            ssize_t n = ::recv(conn, buf, sizeof buf, MSG_DONTWAIT);
            if (n < 0 && errno == EAGAIN) continue;
            if (n > 0) {
                got.append(buf, static_cast<size_t>(n));
                // Anything but "done": this monitor answered "wait" (an older build).
                if (!std::string_view("done\n").starts_with(got)) fds[1].fd = -1;
                continue;
            }
            // EOF (or a reset by the closing monitor): torn down.
            return got == "done\n" ? Teardown::clean : Teardown::ended;
        }
        if (fds[0].revents) return Teardown::ended;
    }
}

Result<void> send_fd(int sock, const std::string& line, int fd) {
    return cnt::send_fd(sock, fd, line + "\n");
}

}  // namespace cnt::commands
