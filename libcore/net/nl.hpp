// libnl-3 plumbing for the net module: owning pointers for every libnl object, a route socket
// that remembers the kernel's real errno, and a socket opened inside another netns.
#pragma once
#include <netlink/addr.h>
#include <netlink/cache.h>
#include <netlink/netlink.h>
#include <netlink/route/addr.h>
#include <netlink/route/link.h>
#include <netlink/route/route.h>
#include <sys/types.h>

#include <cerrno>
#include <memory>
#include <string>
#include <vector>

#include "cnt/error.hpp"
#include "cnt/fd.hpp"

namespace cnt::net::nl {

struct LinkDel {
    void operator()(rtnl_link* p) const { rtnl_link_put(p); }
};
struct AddrDel {
    void operator()(rtnl_addr* p) const { rtnl_addr_put(p); }
};
struct RouteDel {
    void operator()(rtnl_route* p) const { rtnl_route_put(p); }
};
struct NlAddrDel {
    void operator()(nl_addr* p) const { nl_addr_put(p); }
};
struct CacheDel {
    void operator()(nl_cache* p) const { nl_cache_free(p); }
};
using Link = std::unique_ptr<rtnl_link, LinkDel>;
using Addr = std::unique_ptr<rtnl_addr, AddrDel>;
using Route = std::unique_ptr<rtnl_route, RouteDel>;
using NlAddr = std::unique_ptr<nl_addr, NlAddrDel>;
using Cache = std::unique_ptr<nl_cache, CacheDel>;

// A connected NETLINK_ROUTE socket. libnl folds the kernel's errno into its own coarser
// codes (ENETUNREACH becomes NLE_FAILURE), so an error callback keeps the real one.
class Socket {
  public:
    static Result<Socket> open();
    // A socket bound to the netns of `netns_fd`: a netlink socket belongs to the netns its
    // creator was in at socket(2) time, so enter it, open, and come back.
    static Result<Socket> open_in(int netns_fd);
    // The same for a caller that may not enter the netns (setns wants CAP_SYS_ADMIN in its own
    // user namespace too) but owns the user namespace that owns it, as a normal user owns its
    // container's: a child enters that user namespace (its owner has every capability there),
    // then the netns, opens the socket and passes it back. The kernel checks both the socket's
    // opener and each sender, and the owner of a user namespace passes that check.
    static Result<Socket> open_in_userns(int userns_fd, int netns_fd);

    nl_sock* get() const { return st_->sk; }
    // Turn a negative libnl return into an Error with the kernel's errno when known.
    std::unexpected<Error> fail(int rc, std::string step) const;
    // Call before each request so a stale errno is never reported (nor errno, which
    // nle_to_errno reads for the errors libnl has no code for).
    void clear() const {
        st_->last_errno = 0;
        errno = 0;
    }
    int last_errno() const { return st_->last_errno; }

  private:
    // A route socket whose errors carry the kernel's errno: `fd` (bound) adopted, or with
    // no fd a new one connected.
    static Result<Socket> make(unique_fd fd);
    struct State {
        nl_sock* sk = nullptr;
        int last_errno = 0;
        ~State();
    };
    std::unique_ptr<State> st_;
};

// errno for a libnl NLE_* code (best effort, for when no kernel errno was seen).
int nle_to_errno(int nle);

// Link lookups; nullptr result with error ENODEV when absent.
Result<Link> get_link(const Socket& s, const std::string& name);
Result<Link> get_link(const Socket& s, int ifindex);

NlAddr make_addr(int family, const void* bin, unsigned prefix);

// Every non-loopback local address in `addrs` (an address dump; `links`, the link dump, tells
// loopback), IPv4 first, as text.
std::vector<std::string> list_addresses(nl_cache* links, nl_cache* addrs);

// /proc/<pid>/ns/net (pid 0: the caller's own netns).
Result<unique_fd> open_netns(pid_t pid);

}  // namespace cnt::net::nl
