// Networking over libnl-route-3, done by the monitor from the host side: interfaces are made
// in the host netns, moved into init's netns and configured through a netlink socket opened
// inside that netns. No `ip` command is ever run.
#pragma once
#include <sys/types.h>

#include <string>
#include <vector>

#include "cnt/config.hpp"
#include "cnt/error.hpp"
#include "cnt/scope.hpp"
#include "cnt/store.hpp"

namespace cnt::net {

// What setup did that teardown (or crash recovery) must know: phys devices to give back, the
// names of host-side veths (for cnt-info), the netns fd path.
struct Attached {
    struct Phys {
        std::string host_name;  // name in the host before it moved
        std::string inner_name; // name inside the container
    };
    std::vector<Phys> phys;
    std::vector<std::string> veth_host;  // host ends, in lxc.net order
    store::KeyValues save() const;
    static Attached load(const store::KeyValues& kv);
};

// Configure every lxc.net.N for a container whose init is `init_pid` (already in its own
// netns, not yet running the payload). Each step registers its undo in `undo`.
// `container` names the container in errors and generated names.
Result<Attached> setup(const std::vector<config::Network>& nets, const std::string& container,
                       pid_t init_pid, Undo& undo);
// After init is gone (its netns may still be alive through other processes): give phys
// devices back to the host under their old names. veths die with the netns.
Result<void> teardown(const Attached& a, pid_t init_pid_or_0);

// Addresses and counters for cnt-info, read from the container's netns.
struct LinkInfo {
    std::string host_name;
    uint64_t tx_bytes = 0, rx_bytes = 0;
};
Result<std::vector<std::string>> addresses(pid_t init_pid);  // "10.0.0.2", "fe80::..."
Result<std::vector<LinkInfo>> host_links(const Attached& a);

}  // namespace cnt::net
