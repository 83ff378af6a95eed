// Fuzz target: the netlink replies cnt reads. The input is a run of netlink messages (link and
// address dumps as the kernel sends them); libnl parses each into a link or an address cache
// as rtnl_link_alloc_cache / rtnl_addr_alloc_cache / rtnl_link_get_kernel do, then cnt reads
// them as cnt-info does (net::nl::list_addresses, the link getters of net/setup.cpp, info.cpp).
#include <linux/netlink.h>
#include <linux/rtnetlink.h>
#include <netlink/msg.h>

#include <cstdint>
#include <cstdlib>
#include <cstring>
#include <memory>

#include "net/nl.hpp"

namespace {
namespace nl = cnt::net::nl;

nl::Cache new_cache(const char* kind) {
    nl_cache* c = nullptr;
    if (nl_cache_alloc_name(kind, &c) < 0) std::abort();
    return nl::Cache(c);
}

// libnl 3.7 calls a link type's parser (veth, vlan, ...) when IFLA_LINKINFO holds
// IFLA_INFO_XSTATS, and veth's dereferences the IFLA_INFO_DATA that may be missing (a NULL
// read in nla_parse_nested; no kernel sends such a link). Not cnt's code: such messages are
// left out, so the fuzzer goes on with the rest (tests/fuzz/README.md).
bool libnl_crashes_on(nl_msg* m) {
    nlattr* tb[IFLA_MAX + 1];
    nlattr* li[IFLA_INFO_MAX + 1];
    if (nlmsg_hdr(m)->nlmsg_type != RTM_NEWLINK && nlmsg_hdr(m)->nlmsg_type != RTM_DELLINK)
        return false;
    if (nlmsg_parse(nlmsg_hdr(m), sizeof(ifinfomsg), tb, IFLA_MAX, nullptr) < 0 ||
        !tb[IFLA_LINKINFO])
        return false;
    if (nla_parse_nested(li, IFLA_INFO_MAX, tb[IFLA_LINKINFO], nullptr) < 0) return false;
    return li[IFLA_INFO_XSTATS] && !li[IFLA_INFO_DATA];
}

// Each message, copied to a buffer of exactly its length (a read past it is out of bounds),
// offered to both caches; each cache takes the message types it knows.
void parse(const uint8_t* data, size_t size, nl_cache* links, nl_cache* addrs) {
    while (size >= sizeof(nlmsghdr)) {
        nlmsghdr h;
        std::memcpy(&h, data, sizeof h);
        if (h.nlmsg_len < sizeof h || h.nlmsg_len > size) break;
        std::unique_ptr<char, decltype(&std::free)> copy(
            static_cast<char*>(std::malloc(h.nlmsg_len)), &std::free);
        std::memcpy(copy.get(), data, h.nlmsg_len);
        nl_msg* m = nlmsg_convert(reinterpret_cast<nlmsghdr*>(copy.get()));
        if (m && !libnl_crashes_on(m)) {
            nl_cache_parse_and_add(links, m);
            nl_cache_parse_and_add(addrs, m);
        }
        if (m) nlmsg_free(m);
        size_t step = NLMSG_ALIGN(h.nlmsg_len);
        if (step >= size) break;
        data += step;
        size -= step;
    }
}

// What cnt takes from a link it looked up (bridge, veth host end, counters).
void read_links(nl_cache* links) {
    for (nl_object* o = nl_cache_get_first(links); o; o = nl_cache_get_next(o)) {
        auto* l = reinterpret_cast<rtnl_link*>(o);
        const char* name = rtnl_link_get_name(l);
        if (name) (void)std::strlen(name);
        (void)rtnl_link_get_ifindex(l);
        (void)rtnl_link_get_mtu(l);
        (void)rtnl_link_get_flags(l);
        (void)rtnl_link_get_stat(l, RTNL_LINK_TX_BYTES);
        (void)rtnl_link_get_stat(l, RTNL_LINK_RX_BYTES);
    }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
    auto links = new_cache("route/link");
    auto addrs = new_cache("route/addr");
    parse(data, size, links.get(), addrs.get());
    read_links(links.get());
    (void)nl::list_addresses(links.get(), addrs.get());
    return 0;
}
