// Interfaces handed to a running container by cnt-device. One RTM_NEWLINK moves the device and
// names it in its new netns (the kernel closes it on the move; it comes up inside only when
// the container brings it up).
#include "cnt/netdev.hpp"

#include <net/if.h>

#include "net/nl.hpp"

namespace cnt::net {
namespace {

Result<void> move(const nl::Socket& s, const std::string& from, int to_netns,
                  const std::string& to_name, const char* what) {
    CNT_ASSIGN(l, nl::get_link(s, from));
    nl::Link ch(rtnl_link_alloc());
    if (!ch) return errno_error(ENOMEM, "allocating a link");
    rtnl_link_set_ns_fd(ch.get(), to_netns);
    if (to_name != from) rtnl_link_set_name(ch.get(), to_name.c_str());
    s.clear();
    if (int rc = rtnl_link_change(s.get(), l.get(), ch.get(), 0); rc < 0)
        return s.fail(rc, cat(what, " \"", from, "\" as \"", to_name, '"'));
    return {};
}

}  // namespace

bool is_interface(const std::string& name) {
    return !name.empty() && name.size() < IFNAMSIZ && ::if_nametoindex(name.c_str()) != 0;
}

Result<void> hand_in(pid_t init_pid, const std::string& name, const std::string& inner) {
    CNT_ASSIGN(s, nl::Socket::open());
    CNT_ASSIGN(ns, nl::open_netns(init_pid));
    return move(s, name, ns.get(), inner.empty() ? name : inner, "moving into the container");
}

Result<void> take_back(pid_t init_pid, const std::string& inner, const std::string& name) {
    CNT_ASSIGN(ns, nl::open_netns(init_pid));
    CNT_ASSIGN(s, nl::Socket::open_in(ns.get()));
    CNT_ASSIGN(self, nl::open_netns(0));
    return move(s, inner, self.get(), name, "moving back from the container");
}

}  // namespace cnt::net
