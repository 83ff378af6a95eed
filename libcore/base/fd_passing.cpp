#include "base/fd_passing.hpp"

#include <sys/socket.h>

#include <cstring>

namespace cnt {

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

Result<ReceivedFds> recv_fds(int sock, std::span<char> buf) {
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
    ReceivedFds r;
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

}  // namespace cnt
