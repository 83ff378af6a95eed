#include "net/nl.hpp"

#include <fcntl.h>
#include <netlink/errno.h>
#include <netlink/socket.h>
#include <sched.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <cstring>

#include "base/fd_passing.hpp"

namespace cnt::net::nl {

Socket::State::~State() {
    if (sk) nl_socket_free(sk);
}

static int remember_errno(sockaddr_nl*, nlmsgerr* e, void* arg) {
    *static_cast<int*>(arg) = -e->error;
    return NL_STOP;  // libnl then returns its own code for the same error
}

Result<Socket> Socket::make(unique_fd fd) {
    Socket s;
    s.st_ = std::make_unique<State>();
    s.st_->sk = nl_socket_alloc();
    if (!s.st_->sk) return sys_error("allocating a netlink socket", ENOMEM);
    nl_socket_modify_err_cb(s.st_->sk, NL_CB_CUSTOM, remember_errno, &s.st_->last_errno);
    errno = 0;
    int rc = fd ? nl_socket_set_fd(s.st_->sk, NETLINK_ROUTE, fd.get())
                : nl_connect(s.st_->sk, NETLINK_ROUTE);
    if (rc < 0) return errno_error(nle_to_errno(rc), "opening a route netlink socket");
    (void)fd.release();  // the nl_sock owns it now
    return s;
}

Result<Socket> Socket::open() { return make(unique_fd()); }

Result<Socket> Socket::open_in(int netns_fd) {
    unique_fd self(::open("/proc/thread-self/ns/net", O_RDONLY | O_CLOEXEC));
    if (!self) return sys_error("opening /proc/thread-self/ns/net");
    if (::setns(netns_fd, CLONE_NEWNET) < 0) return sys_error("entering the container's netns");
    auto s = open();
    // Back home, whatever it takes: the thread would go on in the container's netns and
    // configure (and undo) on the wrong stack. ENOMEM passes; nothing else is expected of a
    // namespace we just left.
    for (int tries = 0; ::setns(self.get(), CLONE_NEWNET) < 0; ++tries) {
        if ((errno != ENOMEM && errno != EINTR) || tries == 1000) std::abort();
        ::usleep(1000);
    }
    return s;
}

// In a forked child: enter the namespaces, open a route socket, send it on `to`; the exit
// status is the errno of the step that failed.
[[noreturn]] static void open_for_parent(int userns_fd, int netns_fd, int to) {
    // In the container's namespaces with the monitor's memory: not to be traced from there.
    (void)::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0);
    if (::setns(userns_fd, CLONE_NEWUSER) < 0 || ::setns(netns_fd, CLONE_NEWNET) < 0)
        ::_exit(errno);
    int fd = ::socket(AF_NETLINK, SOCK_RAW | SOCK_CLOEXEC, NETLINK_ROUTE);
    sockaddr_nl local{};
    local.nl_family = AF_NETLINK;  // port 0: the kernel picks one, as nl_connect has it do
    if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&local), sizeof local) < 0) ::_exit(errno);
    auto sent = send_fd(to, fd);
    ::_exit(sent ? 0 : sent.error().err ? sent.error().err : EIO);
}

Result<Socket> Socket::open_in_userns(int userns_fd, int netns_fd) {
    int sv[2];
    if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0)
        return sys_error("making a socket pair");
    unique_fd mine(sv[0]), theirs(sv[1]);
    pid_t pid = ::fork();
    if (pid < 0) return sys_error("forking to open a socket in the container's netns");
    if (pid == 0) open_for_parent(userns_fd, netns_fd, theirs.get());
    theirs.reset();
    auto got = recv_fd(mine.get());
    unique_fd fd = got ? std::move(*got) : unique_fd();
    int st = 0;
    while (::waitpid(pid, &st, 0) < 0 && errno == EINTR) {
    }
    if (!fd) {
        int e = WIFEXITED(st) && WEXITSTATUS(st) ? WEXITSTATUS(st) : EIO;
        return errno_error(e, "entering the container's user and network namespaces");
    }
    return make(std::move(fd));
}

std::unexpected<Error> Socket::fail(int rc, std::string step) const {
    int e = st_ && st_->last_errno ? st_->last_errno : nle_to_errno(rc);
    return errno_error(e, std::move(step));
}

// libnl folds the system errors it has no code for (EMFILE, ENOSPC, EIO...) into NLE_FAILURE;
// the failed call's errno is still there to tell which (callers clear errno first).
int nle_to_errno(int nle) {
    switch (nle < 0 ? -nle : nle) {
        case NLE_FAILURE:
            return errno ? errno : EIO;
        case NLE_INTR:
            return EINTR;
        case NLE_BAD_SOCK:
            return EBADF;
        case NLE_AGAIN:
            return EAGAIN;
        case NLE_NOMEM:
            return ENOMEM;
        case NLE_EXIST:
            return EEXIST;
        case NLE_INVAL:
            return EINVAL;
        case NLE_RANGE:
            return ERANGE;
        case NLE_MSGSIZE:
            return EMSGSIZE;
        case NLE_OPNOTSUPP:
            return EOPNOTSUPP;
        case NLE_AF_NOSUPPORT:
            return EAFNOSUPPORT;
        case NLE_OBJ_NOTFOUND:
            return ENOENT;
        case NLE_NOADDR:
            return EADDRNOTAVAIL;
        case NLE_BUSY:
            return EBUSY;
        case NLE_PROTO_MISMATCH:
            return EPROTONOSUPPORT;
        case NLE_NOACCESS:
            return EACCES;
        case NLE_PERM:
            return EPERM;
        case NLE_NODEV:
            return ENODEV;
        default:
            return EIO;
    }
}

static Result<Link> get_link_impl(const Socket& s, int ifindex, const char* name,
                                  const std::string& what) {
    rtnl_link* l = nullptr;
    s.clear();
    int rc = rtnl_link_get_kernel(s.get(), ifindex, name, &l);
    if (rc < 0) {
        if (s.last_errno() == ENODEV || rc == -NLE_OBJ_NOTFOUND || rc == -NLE_NODEV)
            return errno_error(ENODEV, cat("looking up interface ", what));
        return s.fail(rc, cat("looking up interface ", what));
    }
    return Link(l);
}

Result<Link> get_link(const Socket& s, const std::string& name) {
    return get_link_impl(s, 0, name.c_str(), cat('"', name, '"'));
}
Result<Link> get_link(const Socket& s, int ifindex) {
    return get_link_impl(s, ifindex, nullptr, cat("#", ifindex));
}

NlAddr make_addr(int family, const void* bin, unsigned prefix) {
    NlAddr a(nl_addr_build(family, bin, family == AF_INET ? 4 : 16));
    if (a) nl_addr_set_prefixlen(a.get(), static_cast<int>(prefix));
    return a;
}

Result<unique_fd> open_netns(pid_t pid) {
    std::string p =
        pid > 0 ? cat("/proc/", pid, "/ns/net") : std::string("/proc/thread-self/ns/net");
    unique_fd fd(::open(p.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) return sys_error(cat("opening ", p));
    return fd;
}

}  // namespace cnt::net::nl
