// The monitor <-> init sync protocol (container/sync.hpp).
#include "container/sync.hpp"

#include <fcntl.h>
#include <sys/socket.h>

#include <cstdlib>

#include "base/fd_passing.hpp"

namespace cnt::start {

Result<void> send_msg(int fd, const std::string& m) {
    if (::send(fd, m.data(), m.size(), MSG_NOSIGNAL) < 0) return sys_error("sync with init");
    return {};
}

Result<std::string> recv_msg(int fd, const char* waiting_for, int flags) {
    char buf[1024];
    ssize_t n;
    bool reset_seen = false;
    for (;;) {
        n = ::recv(fd, buf, sizeof buf, flags);
        if (n >= 0) break;
        if (errno == EINTR) continue;
        // A peer that exits with our message unread leaves ECONNRESET pending on this
        // socket, and the kernel reports it before the messages still queued: init's own
        // error is one of them. The error is cleared once reported; read again.
        if (errno != ECONNRESET || reset_seen) break;
        reset_seen = true;
    }
    if (n < 0) return sys_error(cat("sync: waiting for ", waiting_for));
    return std::string(buf, static_cast<size_t>(n));
}

std::string encode_error(const Error& e) {
    return cat("error\t", e.err, "\t", e.object, "\t", e.step);
}

std::optional<Error> decode_error(const std::string& m) {
    if (m.rfind("error\t", 0) != 0) return std::nullopt;
    auto t1 = m.find('\t', 6);
    auto t2 = t1 == std::string::npos ? t1 : m.find('\t', t1 + 1);
    if (t2 == std::string::npos) return Error{0, m.substr(6), {}};
    return Error{std::atoi(m.substr(6, t1 - 6).c_str()), m.substr(t2 + 1),
                 m.substr(t1 + 1, t2 - t1 - 1)};
}

Error init_error_or(int fd, Error fallback) {
    auto m = recv_msg(fd, "init's error", MSG_DONTWAIT);
    if (m)
        if (auto e = decode_error(*m)) return std::move(*e);
    return fallback;
}

Result<void> send_error(int fd, const Error& e) { return send_msg(fd, encode_error(e)); }

Result<void> expect(int fd, const char* what) {
    CNT_ASSIGN(m, recv_msg(fd, what));
    if (m == what) return {};
    if (auto e = decode_error(m)) return std::unexpected(std::move(*e));
    if (m.empty()) return error("sync: the other side exited while waiting for \"", what, "\"");
    return error("sync: expected \"", what, "\", got \"", m, "\"");
}

// "setup", then '\0'-separated fields: the number of v1 files, of v2 files (0 or 1), of rootfs
// mounts (0 or 1), of /dev mounts (0 or 1), the cgroups of the files (for messages), then
// label, mountpoint and path of each placement. The descriptors: v1 files, the v2 file, the
// rootfs mount, the /dev mount.
Result<void> send_setup(int fd, const Setup& s) {
    std::string m(kSetup);
    auto field = [&m](std::string_view f) {
        m += '\0';
        m += f;
    };
    std::vector<int> fds;
    const bool v2 = bool(s.join.v2.fd);
    field(std::to_string(s.join.v1.size()));
    field(v2 ? "1" : "0");
    field(s.rootfs ? "1" : "0");
    field(s.dev ? "1" : "0");
    for (const auto& f : s.join.v1) {
        field(f.dir);
        fds.push_back(f.fd.get());
    }
    if (v2) {
        field(s.join.v2.dir);
        fds.push_back(s.join.v2.fd.get());
    }
    if (s.rootfs) fds.push_back(s.rootfs.get());
    if (s.dev) fds.push_back(s.dev.get());
    for (const auto& p : s.cgroups) {
        field(p.label);
        field(p.mountpoint);
        field(p.path);
    }
    return send_fds(fd, fds, m, "sync with init");
}

Result<void> send_ns(int fd) {
    unique_fd user(::open("/proc/self/ns/user", O_RDONLY | O_CLOEXEC));
    unique_fd net(::open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC));
    if (!user || !net) return sys_error("opening init's own namespaces");
    const int fds[] = {user.get(), net.get()};
    return send_fds(fd, fds, kNs, "sync with the monitor");
}

Result<NsFds> recv_ns(int fd) {
    char text[256];
    CNT_ASSIGN(got, recv_fds(fd, text));
    std::string m(text, got.size);
    if (auto e = decode_error(m)) return std::unexpected(std::move(*e));
    if (m != kNs || got.fds.size() != 2 || got.truncated)
        return error("sync: expected init's namespaces, got \"", m.substr(0, 32), "\"");
    return NsFds{std::move(got.fds[0]), std::move(got.fds[1])};
}

Result<Setup> recv_setup(int fd) {
    // On the stack and not cleared: init pays a page fault per page of a buffer it touches.
    char text[16 * 1024];
    auto r = recv_fds(fd, text);
    if (!r) return sys_error(cat("sync: waiting for ", kSetup), r.error().err);
    auto& got = *r;
    auto& fds = got.fds;
    std::string buf(text, got.size);
    if (got.truncated) return error("sync: the setup message was cut short");
    if (auto e = decode_error(buf)) return std::unexpected(std::move(*e));
    if (buf.empty()) return error("sync: the other side exited while waiting for \"", kSetup, "\"");
    std::vector<std::string> f;
    for (size_t pos = 0;;) {
        size_t e = buf.find('\0', pos);
        f.push_back(buf.substr(pos, e == std::string::npos ? std::string::npos : e - pos));
        if (e == std::string::npos) break;
        pos = e + 1;
    }
    auto num = [](const std::string& t, size_t& out) {
        return std::from_chars(t.data(), t.data() + t.size(), out).ec == std::errc{};
    };
    size_t nv1 = 0, nv2 = 0, nroot = 0, ndev = 0;
    bool ok = f.size() >= 5 && f[0] == kSetup && num(f[1], nv1) && num(f[2], nv2) &&
              num(f[3], nroot) && num(f[4], ndev) && nv2 <= 1 && nroot <= 1 && ndev <= 1 &&
              fds.size() == nv1 + nv2 + nroot + ndev && f.size() >= 5 + nv1 + nv2 &&
              (f.size() - 5 - nv1 - nv2) % 3 == 0;
    if (!ok) return error("sync: expected \"", kSetup, "\", got \"", f[0], "\"");
    Setup s;
    size_t i = 5;
    for (size_t k = 0; k < nv1; ++k, ++i) s.join.v1.push_back({std::move(fds[k]), f[i]});
    if (nv2) s.join.v2 = {std::move(fds[nv1]), f[i++]};
    if (nroot) s.rootfs = std::move(fds[nv1 + nv2]);
    if (ndev) s.dev = std::move(fds[nv1 + nv2 + nroot]);
    for (; i < f.size(); i += 3) s.cgroups.push_back({f[i], f[i + 1], f[i + 2]});
    return s;
}

}  // namespace cnt::start
