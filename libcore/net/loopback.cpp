// lo of the calling process's network namespace, up: what init does itself where the monitor
// cannot reach its namespace over netlink (a user's container, cnt-oci).
#include <net/if.h>
#include <sys/ioctl.h>
#include <sys/socket.h>

#include <cstring>

#include "cnt/fd.hpp"
#include "cnt/net.hpp"

namespace cnt::net {

Result<void> loopback_up() {
    unique_fd s(::socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0));
    if (!s) return sys_error("bringing lo up: socket");
    struct ifreq ifr {};
    std::strncpy(ifr.ifr_name, "lo", IFNAMSIZ - 1);
    if (::ioctl(s.get(), SIOCGIFFLAGS, &ifr) != 0) return sys_error("bringing lo up: SIOCGIFFLAGS");
    ifr.ifr_flags |= IFF_UP;
    if (::ioctl(s.get(), SIOCSIFFLAGS, &ifr) != 0) return sys_error("bringing lo up: SIOCSIFFLAGS");
    return {};
}

}  // namespace cnt::net
