// net::setup / net::teardown: one row per network type. A row's `make` creates the device
// with its final name, MAC, MTU and flags, directly in init's netns when the kernel allows it
// (veth peer, macvlan, ipvlan, vlan: IFLA_NET_NS_PID on the new link) or by moving it there
// (phys); the shared step then adds addresses and routes through the socket opened inside.
#include <arpa/inet.h>
#include <fcntl.h>
#include <linux/if.h>
#include <linux/if_link.h>
#include <netlink/route/link/ipvlan.h>
#include <netlink/route/link/macvlan.h>
#include <netlink/route/link/veth.h>
#include <netlink/route/link/vlan.h>
#include <netlink/route/nexthop.h>

#include <cstring>
#include <optional>

#include "cnt/log.hpp"
#include "cnt/net.hpp"
#include "net/nl.hpp"
#include "net/script.hpp"
#include "net/usernic_call.hpp"

namespace cnt::net {
namespace {

struct Ctx {
    const std::string& container;
    pid_t pid;
    const SetupOptions& opts;
    Undo& undo;
    Attached& out;
    std::shared_ptr<unique_fd> netns;
    nl::Socket inner;
    std::optional<nl::Socket> host_;

    Result<nl::Socket*> host() {
        if (!host_) {
            CNT_ASSIGN(s, nl::Socket::open());
            host_ = std::move(s);
        }
        return &*host_;
    }
};

// What a row made: enough for the shared inner step and the up script.
struct Made {
    std::string peer;       // host-side veth name (for scripts)
    bool up_later = false;  // flags = up still to be applied inside
};

struct TypeRow {
    config::NetType type;
    const char* name;
    bool needs_link;             // lxc.net.N.link must name a host interface
    const char* kernel_feature;  // reported when the kernel refuses the link kind
    Result<Made> (*make)(Ctx&, const config::Network&, const std::string& inner);
};

nl::Link new_link() { return nl::Link(rtnl_link_alloc()); }

// Final name, MAC, MTU, up flag and target netns on the device that goes into the container.
Result<void> dress_inner(Ctx& c, rtnl_link* l, const config::Network& n, const std::string& inner) {
    rtnl_link_set_name(l, inner.c_str());
    rtnl_link_set_ns_pid(l, c.pid);
    if (n.mtu) rtnl_link_set_mtu(l, n.mtu);
    if (!n.hwaddr.empty()) {
        CNT_ASSIGN(mac, expand_hwaddr(n.hwaddr));
        nl::NlAddr a(nl_addr_build(AF_LLC, mac.data(), mac.size()));
        rtnl_link_set_addr(l, a.get());
    }
    if (n.up) rtnl_link_set_flags(l, IFF_UP);
    return {};
}

Result<nl::Link> host_link(Ctx& c, const config::Network& n, const char* role) {
    CNT_ASSIGN(h, c.host());
    auto l = nl::get_link(*h, n.link);
    if (!l && l.error().err == ENODEV)
        return errno_error(ENODEV, cat(role, " \"", n.link, "\" does not exist"));
    return l;
}

std::unexpected<Error> create_failed(const nl::Socket& s, int rc, const TypeRow& row,
                                     const std::string& what) {
    auto e = s.fail(rc, cat("creating ", row.name, " \"", what, '"'));
    // An unknown IFLA_INFO_KIND (driver not built, module not loadable) comes back as
    // EOPNOTSUPP after the kernel's request_module attempt.
    if (e.error().err == EOPNOTSUPP && row.kernel_feature)
        e.error().step = cat(e.error().step, ": kernel has no ", row.kernel_feature);
    return e;
}

void delete_host_link(const std::string& name) {
    auto s = nl::Socket::open();
    if (!s) return;
    auto l = new_link();
    rtnl_link_set_name(l.get(), name.c_str());
    if (int rc = rtnl_link_delete(s->get(), l.get()); rc < 0)
        log::warn("deleting \"", name, "\": ", nl_geterror(rc));
}

// Host ends get a random, locally administered MAC starting with 0xfe: a bridge without a
// fixed address takes the lowest of its ports' MACs, and 0xfe keeps it on the host's NIC.
nl::NlAddr host_side_mac() {
    auto m = *expand_hwaddr("fe:xx:xx:xx:xx:xx");
    return nl::NlAddr(nl_addr_build(AF_LLC, m.data(), m.size()));
}

const TypeRow& row_of(config::NetType t);

Result<void> add_route(const nl::Socket& s, int family, const void* dst, unsigned prefix,
                       int ifindex, const void* gw, const std::string& what) {
    nl::Route r(rtnl_route_alloc());
    rtnl_route_set_family(r.get(), static_cast<uint8_t>(family));
    rtnl_route_set_table(r.get(), RT_TABLE_MAIN);
    rtnl_route_set_protocol(r.get(), RTPROT_BOOT);
    rtnl_route_set_type(r.get(), RTN_UNICAST);
    static const in6_addr zero{};
    auto d = nl::make_addr(family, dst ? dst : &zero, prefix);
    rtnl_route_set_dst(r.get(), d.get());
    rtnl_route_set_scope(r.get(), gw ? RT_SCOPE_UNIVERSE : RT_SCOPE_LINK);
    rtnl_nexthop* nh = rtnl_route_nh_alloc();
    rtnl_route_nh_set_ifindex(nh, ifindex);
    if (gw) {
        auto g = nl::make_addr(family, gw, family == AF_INET ? 32 : 128);
        rtnl_route_nh_set_gateway(nh, g.get());
    }
    rtnl_route_add_nexthop(r.get(), nh);  // the route owns nh from here
    s.clear();
    if (int rc = rtnl_route_add(s.get(), r.get(), NLM_F_EXCL); rc < 0)
        return s.fail(rc, cat("adding route ", what));
    return {};
}

std::string ntop(int family, const void* a) {
    char b[INET6_ADDRSTRLEN] = {};
    ::inet_ntop(family, a, b, sizeof b);
    return b;
}

// ---- veth -----------------------------------------------------------------------------------
// True when interface `name` is gone within 5 s (the veth of a netns the kernel tears down).
bool gone_soon(const std::string& name) {
    auto w = LinkWatch::open();
    if (!w) return false;
    auto left = w->wait_gone({name}, 5000);
    return left && left->empty();
}

// The host end's bridge and MTU.
struct VethPlan {
    int master = 0;
    unsigned mtu = 0;
};
Result<VethPlan> plan_veth(Ctx& c, const config::Network& n) {
    VethPlan p{0, n.mtu};
    if (n.veth_mode != config::Network::VethMode::bridge || n.link.empty()) return p;
    CNT_ASSIGN(br, host_link(c, n, "bridge"));
    p.master = rtnl_link_get_ifindex(br.get());
    if (!p.mtu) p.mtu = rtnl_link_get_mtu(br.get());  // as LXC: the port inherits the bridge's
    return p;
}

// The pair to create: the host end `host_name`, its peer dressed as the container's `inner`.
Result<nl::Link> veth_link(Ctx& c, const config::Network& n, const std::string& inner,
                           const VethPlan& p, const std::string& host_name) {
    nl::Link l(rtnl_link_veth_alloc());
    if (!l) return sys_error("allocating a veth", ENOMEM);
    nl::Link peer(rtnl_link_veth_get_peer(l.get()));
    rtnl_link_set_name(l.get(), host_name.c_str());
    rtnl_link_set_flags(l.get(), IFF_UP);
    auto mac = host_side_mac();
    rtnl_link_set_addr(l.get(), mac.get());
    if (p.master) rtnl_link_set_master(l.get(), p.master);
    if (p.mtu) rtnl_link_set_mtu(l.get(), p.mtu);
    CNT_TRY(dress_inner(c, peer.get(), n, inner));
    if (p.mtu && !n.mtu) rtnl_link_set_mtu(peer.get(), p.mtu);
    if (n.veth_rxqueues) rtnl_link_set_num_rx_queues(peer.get(), n.veth_rxqueues);
    if (n.veth_txqueues) rtnl_link_set_num_tx_queues(peer.get(), n.veth_txqueues);
    // The kernel opens a new veth peer before it is linked to its other half, and
    // veth_open() refuses that (ENOTCONN): the peer is brought up from inside instead.
    rtnl_link_unset_flags(peer.get(), IFF_UP);
    return l;
}

// Creates the pair; returns the host end's name.
Result<std::string> add_veth_pair(Ctx& c, const config::Network& n, const std::string& inner,
                                  const VethPlan& p) {
    const TypeRow& row = row_of(config::NetType::veth);
    CNT_ASSIGN(hs, c.host());
    bool fixed = !n.veth_pair.empty();
    for (int attempt = 0;; ++attempt) {
        std::string host_name = fixed ? n.veth_pair : random_ifname("veth");
        CNT_ASSIGN(l, veth_link(c, n, inner, p, host_name));
        hs->clear();
        int rc = rtnl_link_add(hs->get(), l.get(), NLM_F_CREATE | NLM_F_EXCL);
        if (rc >= 0) return host_name;
        // A random name can collide with an existing interface: draw again.
        if (!fixed && hs->last_errno() == EEXIST && attempt < 3) continue;
        // A fixed name may still be held by this container's previous run: its veth goes when
        // the kernel tears the old netns down, asynchronously after stop. Wait for that.
        if (fixed && hs->last_errno() == EEXIST && attempt < 2 && gone_soon(host_name)) continue;
        auto e = create_failed(*hs, rc, row, host_name);
        if (p.master && hs->last_errno() != EEXIST)
            e.error().step += cat(" (attached to bridge \"", n.link, "\")");
        return e;
    }
}

// lxc.net.N.veth.ipv4.route / ipv6.route, and in router mode one host route per container
// address, through the host end.
Result<void> add_host_routes(Ctx& c, const config::Network& n, const std::string& host_name) {
    const bool router = n.veth_mode == config::Network::VethMode::router;
    if (!router && n.veth_ipv4_routes.empty() && n.veth_ipv6_routes.empty()) return {};
    CNT_ASSIGN(hs, c.host());
    CNT_ASSIGN(hl, nl::get_link(*hs, host_name));
    int idx = rtnl_link_get_ifindex(hl.get());
    for (const auto& r : n.veth_ipv4_routes)
        CNT_TRY(add_route(*hs, AF_INET, &r.addr, r.prefix, idx, nullptr,
                          cat(ntop(AF_INET, &r.addr), '/', r.prefix, " dev ", host_name)));
    for (const auto& r : n.veth_ipv6_routes)
        CNT_TRY(add_route(*hs, AF_INET6, &r.addr, r.prefix, idx, nullptr,
                          cat(ntop(AF_INET6, &r.addr), '/', r.prefix, " dev ", host_name)));
    if (!router) return {};
    for (const auto& a : n.ipv4)
        CNT_TRY(add_route(*hs, AF_INET, &a.addr, 32, idx, nullptr,
                          cat(ntop(AF_INET, &a.addr), "/32 dev ", host_name)));
    for (const auto& a : n.ipv6)
        CNT_TRY(add_route(*hs, AF_INET6, &a.addr, 128, idx, nullptr,
                          cat(ntop(AF_INET6, &a.addr), "/128 dev ", host_name)));
    return {};
}

Result<Made> make_veth(Ctx& c, const config::Network& n, const std::string& inner) {
    // A normal user: cnt-user-nic makes the pair on a granted bridge (it dies with the netns).
    if (needs_user_nic()) {
        CNT_ASSIGN(host, user_nic_veth(n, c.opts.lxcpath, c.container, c.pid, inner, c.inner));
        c.out.veth_host.push_back(host);
        return Made{host, true};
    }
    CNT_ASSIGN(plan, plan_veth(c, n));
    CNT_ASSIGN(host_name, add_veth_pair(c, n, inner, plan));
    // Deleting one end of a pair deletes both. Only a failed start runs this (the monitor
    // dismisses it once the container is up): a stopped container's veths go with its netns,
    // which the kernel tears down off the stop path (deleting them here waits for RCU).
    c.undo.push([host_name] { delete_host_link(host_name); });
    c.out.veth_host.push_back(host_name);
    CNT_TRY(add_host_routes(c, n, host_name));
    return Made{host_name, true};
}

// ---- macvlan / ipvlan / vlan: children of a host link, created directly inside ----------------
Result<Made> make_child(Ctx& c, const config::Network& n, const std::string& inner,
                        const TypeRow& row, nl::Link l) {
    CNT_ASSIGN(parent, host_link(c, n, "link"));
    CNT_ASSIGN(hs, c.host());
    rtnl_link_set_link(l.get(), rtnl_link_get_ifindex(parent.get()));
    CNT_TRY(dress_inner(c, l.get(), n, inner));
    hs->clear();
    if (int rc = rtnl_link_add(hs->get(), l.get(), NLM_F_CREATE | NLM_F_EXCL); rc < 0)
        return create_failed(*hs, rc, row, cat(inner, "\" on \"", n.link));
    return Made{};
}

Result<Made> make_macvlan(Ctx& c, const config::Network& n, const std::string& inner) {
    nl::Link l(rtnl_link_macvlan_alloc());
    using M = config::Network::MacvlanMode;
    uint32_t mode = n.macvlan_mode == M::vepa       ? MACVLAN_MODE_VEPA
                    : n.macvlan_mode == M::bridge   ? MACVLAN_MODE_BRIDGE
                    : n.macvlan_mode == M::passthru ? MACVLAN_MODE_PASSTHRU
                                                    : MACVLAN_MODE_PRIVATE;
    rtnl_link_macvlan_set_mode(l.get(), mode);
    return make_child(c, n, inner, row_of(config::NetType::macvlan), std::move(l));
}

Result<Made> make_ipvlan(Ctx& c, const config::Network& n, const std::string& inner) {
    if (n.ipvlan_isolation != config::Network::IpvlanIsolation::bridge)
        return errno_error(EOPNOTSUPP, "ipvlan.isolation other than bridge is not supported");
    nl::Link l(rtnl_link_ipvlan_alloc());
    using M = config::Network::IpvlanMode;
    rtnl_link_ipvlan_set_mode(l.get(), n.ipvlan_mode == M::l3    ? IPVLAN_MODE_L3
                                       : n.ipvlan_mode == M::l3s ? IPVLAN_MODE_L3S
                                                                 : IPVLAN_MODE_L2);
    return make_child(c, n, inner, row_of(config::NetType::ipvlan), std::move(l));
}

Result<Made> make_vlan(Ctx& c, const config::Network& n, const std::string& inner) {
    if (n.vlan_id > 4094) return error(cat("vlan.id ", n.vlan_id, " is above 4094"));
    nl::Link l(rtnl_link_vlan_alloc());
    rtnl_link_vlan_set_id(l.get(), static_cast<uint16_t>(n.vlan_id));
    return make_child(c, n, inner, row_of(config::NetType::vlan), std::move(l));
}

// ---- phys -----------------------------------------------------------------------------------
// Move `inner` from the netns behind `netns_fd` back into the caller's netns as `host_name`.
// One RTM_NEWLINK does both: the kernel moves the device (which closes it), then renames it
// in its new netns.
Result<void> give_back(int netns_fd, const std::string& inner, const std::string& host_name) {
    CNT_ASSIGN(s, nl::Socket::open_in(netns_fd));
    CNT_ASSIGN(self, nl::open_netns(0));
    CNT_ASSIGN(l, nl::get_link(s, inner));
    auto ch = new_link();
    rtnl_link_set_ns_fd(ch.get(), self.get());
    rtnl_link_set_name(ch.get(), host_name.c_str());
    s.clear();
    if (int rc = rtnl_link_change(s.get(), l.get(), ch.get(), 0); rc < 0)
        return s.fail(rc, cat("giving \"", inner, "\" back to the host as \"", host_name, '"'));
    return {};
}

Result<Made> make_phys(Ctx& c, const config::Network& n, const std::string& inner) {
    CNT_ASSIGN(dev, host_link(c, n, "phys device"));
    CNT_ASSIGN(hs, c.host());
    auto ch = new_link();
    CNT_TRY(dress_inner(c, ch.get(), n, inner));
    hs->clear();
    if (int rc = rtnl_link_change(hs->get(), dev.get(), ch.get(), 0); rc < 0)
        return hs->fail(rc, cat("moving \"", n.link, "\" into the container as \"", inner, '"'));
    std::string host_name = n.link;
    std::string mac;
    if (auto moved = nl::get_link(c.inner, inner))
        if (nl_addr* a = rtnl_link_get_addr(moved->get()))
            if (nl_addr_get_len(a) == 6) {
                Mac m;
                std::memcpy(m.data(), nl_addr_get_binary_addr(a), 6);
                mac = format_mac(m);
            }
    auto netns = c.netns;
    c.undo.push([netns, inner, host_name] {
        if (auto r = give_back(netns->get(), inner, host_name); !r) log::warn(r.error().message());
    });
    c.out.phys.push_back({host_name, inner, mac});
    return Made{};
}

Result<Made> make_nothing(Ctx&, const config::Network&, const std::string&) { return Made{}; }

constexpr TypeRow kRows[] = {
    {config::NetType::unset, "empty", false, nullptr, make_nothing},
    {config::NetType::empty, "empty", false, nullptr, make_nothing},
    {config::NetType::none, "none", false, nullptr, make_nothing},
    {config::NetType::veth, "veth", false, "veth support (CONFIG_VETH)", make_veth},
    {config::NetType::macvlan, "macvlan", true, "macvlan support (CONFIG_MACVLAN)", make_macvlan},
    {config::NetType::ipvlan, "ipvlan", true, "ipvlan support (CONFIG_IPVLAN)", make_ipvlan},
    {config::NetType::vlan, "vlan", true, "802.1q VLAN support (CONFIG_VLAN_8021Q)", make_vlan},
    {config::NetType::phys, "phys", true, nullptr, make_phys},
};

const TypeRow& row_of(config::NetType t) {
    for (const auto& r : kRows)
        if (r.type == t) return r;
    return kRows[0];
}

bool creates_device(config::NetType t) {
    return t != config::NetType::unset && t != config::NetType::empty && t != config::NetType::none;
}

// ---- inside the container -------------------------------------------------------------------
Result<void> set_up(const nl::Socket& s, int ifindex, const std::string& what) {
    auto orig = new_link(), ch = new_link();
    rtnl_link_set_ifindex(orig.get(), ifindex);
    rtnl_link_set_flags(ch.get(), IFF_UP);
    s.clear();
    if (int rc = rtnl_link_change(s.get(), orig.get(), ch.get(), 0); rc < 0)
        return s.fail(rc, cat("bringing up ", what));
    return {};
}

// The first address of `family` on host link `link` (ipvX.gateway = auto).
Result<std::vector<uint8_t>> link_first_addr(Ctx& c, const std::string& link, int family) {
    CNT_ASSIGN(hs, c.host());
    CNT_ASSIGN(l, nl::get_link(*hs, link));
    int idx = rtnl_link_get_ifindex(l.get());
    nl_cache* raw = nullptr;
    hs->clear();
    if (int rc = rtnl_addr_alloc_cache(hs->get(), &raw); rc < 0)
        return hs->fail(rc, "listing host addresses");
    nl::Cache cache(raw);
    for (nl_object* o = nl_cache_get_first(raw); o; o = nl_cache_get_next(o)) {
        auto* a = reinterpret_cast<rtnl_addr*>(o);
        if (rtnl_addr_get_ifindex(a) != idx || rtnl_addr_get_family(a) != family) continue;
        nl_addr* local = rtnl_addr_get_local(a);
        auto* p = static_cast<const uint8_t*>(nl_addr_get_binary_addr(local));
        return std::vector<uint8_t>(p, p + nl_addr_get_len(local));
    }
    return errno_error(EADDRNOTAVAIL, cat("gateway = auto: \"", link, "\" has no ",
                                          family == AF_INET ? "IPv4" : "IPv6", " address"));
}

Result<void> add_gateway(Ctx& c, const config::Network& n, int family, int ifindex,
                         const std::string& inner) {
    const config::Gateway& g = family == AF_INET ? n.ipv4_gateway : n.ipv6_gateway;
    if (g.kind == config::Gateway::Kind::none) return {};
    const char* fam = family == AF_INET ? "ipv4" : "ipv6";
    if (!n.up)
        return errno_error(
            ENETDOWN, cat(fam, ".gateway on \"", inner, "\" needs the interface up (flags = up)"));
    if (g.kind == config::Gateway::Kind::dev)
        return add_route(c.inner, family, nullptr, 0, ifindex, nullptr, cat("default dev ", inner));
    std::vector<uint8_t> gw(16);
    if (g.kind == config::Gateway::Kind::auto_) {
        if (n.link.empty())
            return error(cat(fam, ".gateway = auto needs lxc.net.", n.index, ".link"));
        CNT_ASSIGN(a, link_first_addr(c, n.link, family));
        gw = std::move(a);
    } else if (::inet_pton(family, g.address.c_str(), gw.data()) != 1) {
        return error(cat("invalid ", fam, ".gateway \"", g.address, '"'));
    }
    std::string gws = ntop(family, gw.data());
    auto r = add_route(c.inner, family, nullptr, 0, ifindex, gw.data(),
                       cat("default via ", gws, " dev ", inner));
    if (!r && r.error().err == ENETUNREACH) {
        // The gateway is outside every prefix on the device (e.g. a /32 address): make it
        // reachable on the link first, as LXC does.
        CNT_TRY(add_route(c.inner, family, gw.data(), family == AF_INET ? 32 : 128, ifindex,
                          nullptr, cat(gws, " dev ", inner)));
        r = add_route(c.inner, family, nullptr, 0, ifindex, gw.data(),
                      cat("default via ", gws, " dev ", inner));
    }
    return r;
}

Result<void> configure_inner(Ctx& c, const config::Network& n, const std::string& inner,
                             bool up_later) {
    bool need = (up_later && n.up) || !n.ipv4.empty() || !n.ipv6.empty() ||
                n.ipv4_gateway.kind != config::Gateway::Kind::none ||
                n.ipv6_gateway.kind != config::Gateway::Kind::none;
    if (!need) return {};
    CNT_ASSIGN(l, nl::get_link(c.inner, inner));
    int idx = rtnl_link_get_ifindex(l.get());
    if (up_later && n.up) CNT_TRY(set_up(c.inner, idx, inner));
    for (const auto& a : n.ipv4) {
        nl::Addr ad(rtnl_addr_alloc());
        rtnl_addr_set_ifindex(ad.get(), idx);
        auto local = nl::make_addr(AF_INET, &a.addr, a.prefix);
        rtnl_addr_set_local(ad.get(), local.get());
        rtnl_addr_set_prefixlen(ad.get(), static_cast<int>(a.prefix));
        in_addr bc{};
        if (a.broadcast) {
            bc = *a.broadcast;
        } else if (a.prefix < 31) {  // LXC's default: the prefix's all-ones address
            bc.s_addr = a.addr.s_addr | htonl(0xffffffffu >> a.prefix);
        }
        if (bc.s_addr) {
            auto b = nl::make_addr(AF_INET, &bc, 32);
            rtnl_addr_set_broadcast(ad.get(), b.get());
        }
        c.inner.clear();
        if (int rc = rtnl_addr_add(c.inner.get(), ad.get(), 0); rc < 0)
            return c.inner.fail(
                rc, cat("adding ", ntop(AF_INET, &a.addr), '/', a.prefix, " to ", inner));
    }
    for (const auto& a : n.ipv6) {
        nl::Addr ad(rtnl_addr_alloc());
        rtnl_addr_set_ifindex(ad.get(), idx);
        auto local = nl::make_addr(AF_INET6, &a.addr, a.prefix);
        rtnl_addr_set_local(ad.get(), local.get());
        rtnl_addr_set_prefixlen(ad.get(), static_cast<int>(a.prefix));
        c.inner.clear();
        if (int rc = rtnl_addr_add(c.inner.get(), ad.get(), 0); rc < 0)
            return c.inner.fail(
                rc, cat("adding ", ntop(AF_INET6, &a.addr), '/', a.prefix, " to ", inner));
    }
    CNT_TRY(add_gateway(c, n, AF_INET, idx, inner));
    CNT_TRY(add_gateway(c, n, AF_INET6, idx, inner));
    return {};
}

// Everything that can be checked without touching the system, so a bad lxc.net never leaves
// half a network behind.
Result<void> validate(const config::Network& n) {
    const TypeRow& row = row_of(n.type);
    if (!creates_device(n.type)) return {};
    if (row.needs_link && n.link.empty())
        return error(cat("type ", row.name, " needs lxc.net.", n.index, ".link"));
    CNT_TRY(validate_ifname(inner_name(n)));
    if (!n.veth_pair.empty()) CNT_TRY(validate_ifname(n.veth_pair));
    if (!n.hwaddr.empty()) CNT_TRY(expand_hwaddr(n.hwaddr));
    if (n.type == config::NetType::veth && (n.veth_vlan_id > 0 || !n.veth_vlan_tagged.empty()))
        log::warn("lxc.net.", n.index,
                  ".veth.vlan.*: bridge VLAN filtering is not supported; ignored");
    if (n.l2proxy) log::warn("lxc.net.", n.index, ".l2proxy is not supported; ignored");
    if (n.type == config::NetType::macvlan &&
        n.macvlan_mode == config::Network::MacvlanMode::invalid)
        return error("invalid macvlan.mode (an empty value left none)");
    if (n.type == config::NetType::phys && !n.link.empty() && n.link.back() == '+')
        return error(cat("phys link wildcards (\"", n.link, "\") are not supported"));
    return {};
}

}  // namespace

namespace {
Result<unique_fd> dup_fd(int fd, const char* what) {
    unique_fd d(::fcntl(fd, F_DUPFD_CLOEXEC, 3));
    if (!d) return sys_error(cat("duplicating ", what));
    return d;
}
}  // namespace

Result<Attached> setup(const std::vector<config::Network>& nets, const std::string& container,
                       pid_t init_pid, Undo& undo, const SetupOptions& opts) {
    Attached out;
    out.container = container;
    out.hook_version = opts.hook_version;
    out.hook_env = opts.hook_env;
    bool own_netns = false;
    for (const auto& n : nets) {
        if (auto r = validate(n); !r)
            return std::unexpected(std::move(r.error()).within(cat("lxc.net.", n.index)));
        if (n.type == config::NetType::none)
            log::warn("lxc.net.", n.index, ".type = none: the container shares the host's network");
        else
            own_netns = true;
    }
    if (!own_netns) return out;

    CNT_ASSIGN(nsfd, opts.netns_fd >= 0 ? dup_fd(opts.netns_fd, "init's network namespace")
                                        : nl::open_netns(init_pid));
    auto netns = std::make_shared<unique_fd>(std::move(nsfd));
    auto inner_r = nl::Socket::open_in(netns->get());
    if (!inner_r && inner_r.error().err == EPERM)
        inner_r = opts.userns_fd >= 0 ? nl::Socket::open_in_userns(opts.userns_fd, netns->get())
                                      : open_inner_as_owner(init_pid, *netns);
    CNT_ASSIGN(inner, std::move(inner_r));
    Ctx c{container, init_pid, opts, undo, out, netns, std::move(inner), std::nullopt};

    // A new netns starts with lo down; every type but none wants it up.
    CNT_TRY(set_up(c.inner, 1, "lo"));

    for (const auto& n : nets) {
        if (n.type == config::NetType::none) continue;
        const TypeRow& row = row_of(n.type);
        std::string inner_nm = creates_device(n.type) ? inner_name(n) : std::string("lo");
        auto step = [&]() -> Result<void> {
            CNT_ASSIGN(made, row.make(c, n, inner_nm));
            if (creates_device(n.type)) CNT_TRY(configure_inner(c, n, inner_nm, made.up_later));
            if (!n.script_up.empty())
                CNT_TRY(run_script({n.script_up, container, "up", row.name, n.link, made.peer,
                                    opts.hook_version, opts.hook_env}));
            if (!n.script_down.empty())
                out.down.push_back({n.script_down, row.name, n.link, made.peer});
            return {};
        };
        if (auto r = step(); !r)
            return std::unexpected(std::move(r.error()).within(cat("lxc.net.", n.index)));
    }
    out.netns = std::move(netns);
    return out;
}

Result<void> hold_netns(Attached& a, pid_t init_pid) {
    CNT_ASSIGN(fd, nl::open_netns(init_pid));
    a.netns = std::make_shared<unique_fd>(std::move(fd));
    return {};
}

Result<void> teardown(const Attached& a, pid_t init_pid) {
    std::optional<Error> first;
    for (const auto& d : a.down) {
        auto r = run_script(
            {d.script, a.container, "down", d.type, d.link, d.peer, a.hook_version, a.hook_env});
        if (!r) {
            log::warn(r.error().message());
            if (!first) first = r.error();
        }
    }
    if (a.phys.empty()) return first ? Result<void>(std::unexpected(*first)) : Result<void>{};

    std::shared_ptr<unique_fd> ns = a.netns;
    if (!ns && init_pid > 0)
        if (auto fd = nl::open_netns(init_pid)) ns = std::make_shared<unique_fd>(std::move(*fd));

    std::optional<nl::Socket> host;
    for (const auto& p : a.phys) {
        Result<void> r;
        if (ns) r = give_back(ns->get(), p.inner_name, p.host_name);
        if (!ns || (!r && r.error().err == ENODEV)) {
            // No netns any more: the kernel handed the device to the initial netns under its
            // inner name when the last process left. Rename it back if it is in ours.
            if (!host) {
                auto s = nl::Socket::open();
                if (!s) return std::unexpected(s.error());
                host = std::move(*s);
            }
            auto cur = nl::get_link(*host, p.inner_name);
            if (cur && !p.mac.empty()) {
                // Never rename a host device that merely shares the inner name.
                nl_addr* ad = rtnl_link_get_addr(cur->get());
                Mac m{};
                if (ad && nl_addr_get_len(ad) == 6)
                    std::memcpy(m.data(), nl_addr_get_binary_addr(ad), 6);
                if (format_mac(m) != p.mac) cur = std::unexpected(Error{ENODEV, {}, {}});
            }
            if (!cur) {
                r = std::unexpected(Error{
                    ENODEV, cat("giving \"", p.inner_name, "\" back to the host: it is gone"), {}});
            } else if (p.inner_name == p.host_name) {
                r = {};
            } else {
                auto ch = new_link();
                rtnl_link_set_name(ch.get(), p.host_name.c_str());
                host->clear();
                int rc = rtnl_link_change(host->get(), cur->get(), ch.get(), 0);
                r = rc < 0 ? Result<void>(host->fail(rc, cat("renaming \"", p.inner_name,
                                                             "\" back to \"", p.host_name, '"')))
                           : Result<void>{};
            }
        }
        if (!r) {
            log::warn(r.error().message());
            if (!first) first = r.error();
        }
    }
    if (first) return std::unexpected(*first);
    return {};
}

}  // namespace cnt::net
