// Waiting for host interfaces to go. The kernel deletes a container's veths with its netns,
// asynchronously after init exits (cleanup_net): a stop that returned at once could leave them
// for a moment, and a restart with a fixed lxc.net.N.veth.pair would fail on EEXIST.
#include <netlink/socket.h>
#include <poll.h>
#include <time.h>

#include "cnt/net.hpp"
#include "net/nl.hpp"

namespace cnt::net {

struct LinkWatch::Impl {
    nl_sock* events = nullptr;
    nl::Socket query;
    ~Impl() {
        if (events) nl_socket_free(events);
    }
};

LinkWatch::LinkWatch() = default;
LinkWatch::LinkWatch(LinkWatch&&) noexcept = default;
LinkWatch& LinkWatch::operator=(LinkWatch&&) noexcept = default;
LinkWatch::~LinkWatch() = default;

Result<LinkWatch> LinkWatch::open() {
    auto impl = std::make_unique<Impl>();
    // Subscribed first: a link that goes after the check below still wakes the wait.
    impl->events = nl_socket_alloc();
    if (!impl->events) return sys_error("allocating a netlink socket", ENOMEM);
    nl_socket_disable_seq_check(impl->events);
    if (int rc = nl_connect(impl->events, NETLINK_ROUTE); rc < 0)
        return errno_error(nl::nle_to_errno(rc), "opening a route netlink socket for link events");
    if (int rc = nl_socket_add_membership(impl->events, RTNLGRP_LINK); rc < 0)
        return errno_error(nl::nle_to_errno(rc), "subscribing to link events");
    if (int rc = nl_socket_set_nonblocking(impl->events); rc < 0)
        return errno_error(nl::nle_to_errno(rc), "setting the link event socket non-blocking");
    CNT_ASSIGN(q, nl::Socket::open());
    impl->query = std::move(q);
    LinkWatch w;
    w.impl_ = std::move(impl);
    return w;
}

namespace {

long long now_ms() {
    timespec ts{};
    ::clock_gettime(CLOCK_MONOTONIC, &ts);
    return ts.tv_sec * 1000LL + ts.tv_nsec / 1000000;
}

}  // namespace

Result<std::vector<std::string>> LinkWatch::wait_gone(const std::vector<std::string>& names,
                                                      int ms) {
    const long long deadline = now_ms() + ms;
    for (;;) {
        std::vector<std::string> left;
        for (const auto& n : names) {
            auto l = nl::get_link(impl_->query, n);
            if (l)
                left.push_back(n);
            else if (l.error().err != ENODEV)
                return std::unexpected(std::move(l.error()));
        }
        long long rest = deadline - now_ms();
        if (left.empty() || rest <= 0) return left;
        // Any link event (or an overrun of the socket's buffer) wakes us: look again.
        pollfd p{nl_socket_get_fd(impl_->events), POLLIN, 0};
        int r = ::poll(&p, 1, static_cast<int>(rest));
        if (r < 0 && errno != EINTR) return sys_error("waiting for link events");
        if (r > 0 && nl_recvmsgs_default(impl_->events) < 0) ::usleep(1000);
    }
}

}  // namespace cnt::net
