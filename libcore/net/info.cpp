// Read-only views for cnt-info: the container's addresses and the host ends' counters.
#include <arpa/inet.h>
#include <linux/if.h>

#include "cnt/net.hpp"
#include "net/nl.hpp"

namespace cnt::net {

// The container's addresses from its two dumps.
std::vector<std::string> nl::list_addresses(nl_cache* links, nl_cache* addrs) {
    std::vector<std::string> v4, v6;
    for (nl_object* o = nl_cache_get_first(addrs); o; o = nl_cache_get_next(o)) {
        auto* a = reinterpret_cast<rtnl_addr*>(o);
        nl::Link l(rtnl_link_get(links, rtnl_addr_get_ifindex(a)));
        if (l && (rtnl_link_get_flags(l.get()) & IFF_LOOPBACK)) continue;
        // The family is the message's, the address as long as its attribute: a reply where
        // they disagree (no kernel sends one) is skipped, not read past.
        nl_addr* local = rtnl_addr_get_local(a);
        int fam = rtnl_addr_get_family(a);
        unsigned len = fam == AF_INET ? 4 : fam == AF_INET6 ? 16 : 0;
        if (!local || len == 0 || nl_addr_get_len(local) != len) continue;
        char b[INET6_ADDRSTRLEN] = {};
        if (!::inet_ntop(fam, nl_addr_get_binary_addr(local), b, sizeof b)) continue;
        (fam == AF_INET ? v4 : v6).push_back(b);
    }
    v4.insert(v4.end(), v6.begin(), v6.end());
    return v4;
}

Result<std::vector<std::string>> addresses(pid_t init_pid) {
    CNT_ASSIGN(ns, nl::open_netns(init_pid));
    CNT_ASSIGN(s, nl::Socket::open_in(ns.get()));
    nl_cache *links_raw = nullptr, *addrs_raw = nullptr;
    if (int rc = rtnl_link_alloc_cache(s.get(), AF_UNSPEC, &links_raw); rc < 0)
        return s.fail(rc, "listing the container's interfaces");
    nl::Cache links(links_raw);
    if (int rc = rtnl_addr_alloc_cache(s.get(), &addrs_raw); rc < 0)
        return s.fail(rc, "listing the container's addresses");
    nl::Cache addrs(addrs_raw);
    return nl::list_addresses(links_raw, addrs_raw);
}

Result<std::vector<LinkInfo>> host_links(const Attached& a) {
    std::vector<LinkInfo> out;
    if (a.veth_host.empty()) return out;
    CNT_ASSIGN(s, nl::Socket::open());
    for (const auto& name : a.veth_host) {
        auto l = nl::get_link(s, name);
        if (!l) continue;  // gone with its netns
        out.push_back({name, rtnl_link_get_stat(l->get(), RTNL_LINK_TX_BYTES),
                       rtnl_link_get_stat(l->get(), RTNL_LINK_RX_BYTES)});
    }
    return out;
}

}  // namespace cnt::net
