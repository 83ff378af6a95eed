// Registry rows for lxc.net (bare) and lxc.net.<N>.<subkey>.
#include <arpa/inet.h>
#include <net/if.h>

#include <algorithm>
#include <cctype>

#include "config/parse.hpp"
#include "config/registry.hpp"

namespace cnt::config::detail {
namespace {

using V = std::string_view;
using Out = std::optional<std::string>;

#define NPARSE \
    [](V v, [[maybe_unused]] Network & n, [[maybe_unused]] const KeyCtx& k) -> std::string
#define NPRINT [](const Network& n) -> Out
#define NCLEAR [](Network & n)

std::string bad(V what, V v) { return cat("invalid ", what, " \"", v, "\""); }

struct TypeName {
    std::string_view name;
    NetType type;
};
constexpr TypeName kTypes[] = {{"veth", NetType::veth},     {"macvlan", NetType::macvlan},
                               {"ipvlan", NetType::ipvlan}, {"vlan", NetType::vlan},
                               {"phys", NetType::phys},     {"empty", NetType::empty},
                               {"none", NetType::none}};
std::string_view type_name(NetType t) {
    for (auto& e : kTypes)
        if (e.type == t) return e.name;
    return {};
}

// Interface names: the kernel limit is IFNAMSIZ-1; LXC truncates with only an error log.
std::string set_ifname(std::string& dst, V v, const KeyCtx& k) {
    if (v.size() >= IFNAMSIZ) {
        if (k.diags)
            k.diags->warn(k.where,
                          cat(k.key, ": \"", v, "\" truncated to ", IFNAMSIZ - 1, " characters"));
        v = v.substr(0, IFNAMSIZ - 1);
    }
    dst = std::string(v);
    return {};
}

// lxc.net.N.link = PREFIX+ on a phys interface: LXC takes the host interfaces whose names start
// with PREFIX, and the last of them (in index order) is the one kept; none leaves no link.
std::string set_phys_link_prefix(Network& n, V v, const KeyCtx& k) {
    V prefix = v.substr(0, v.size() - 1);
    std::string last;
    if (struct if_nameindex* list = ::if_nameindex()) {
        for (auto* i = list; i->if_index != 0 && i->if_name; ++i)
            if (V(i->if_name).starts_with(prefix)) last = i->if_name;
        ::if_freenameindex(list);
    }
    if (last.empty() && k.diags)
        k.diags->warn(k.where, cat(k.key, ": no host interface matches \"", v, "\""));
    n.link = std::move(last);
    return {};
}

// LXC guesses a missing IPv4 prefix from the class of the address but tests the class bits
// on the network-byte-order value, i.e. on the LAST octet; we keep that for compatibility.
unsigned lxc_classful_prefix(in_addr a) {
    uint32_t x = a.s_addr;
    if ((x & 0x80000000u) == 0) return 8;
    if ((x & 0xc0000000u) == 0x80000000u) return 16;
    if ((x & 0xe0000000u) == 0xc0000000u) return 24;
    return 0;
}

std::string parse_ipv4(V v, Ipv4Addr& out, bool need_prefix) {
    auto f = split_blanks(v);
    if (f.empty() || f.size() > 2) return bad("IPv4 address (A.B.C.D[/prefix] [broadcast])", v);
    std::string a = f[0];
    auto slash = a.find('/');
    std::string addr = a.substr(0, slash);
    if (inet_pton(AF_INET, addr.c_str(), &out.addr) != 1) return bad("IPv4 address", addr);
    if (slash != std::string::npos) {
        auto p = parse_uint(a.substr(slash + 1));
        if (!p || *p > 32) return bad("IPv4 prefix (0..32)", a.substr(slash + 1));
        out.prefix = *p;
    } else {
        if (need_prefix) return bad("route (net/prefix)", v);
        out.prefix = lxc_classful_prefix(out.addr);
    }
    if (f.size() == 2) {
        in_addr b{};
        if (inet_pton(AF_INET, f[1].c_str(), &b) != 1) return bad("IPv4 broadcast address", f[1]);
        out.broadcast = b;
    }
    return {};
}
std::string parse_ipv6(V v, Ipv6Addr& out, bool need_prefix) {
    std::string a(trim(v));
    auto slash = a.find('/');
    std::string addr = a.substr(0, slash);
    if (inet_pton(AF_INET6, addr.c_str(), &out.addr) != 1) return bad("IPv6 address", addr);
    out.prefix = 64;
    if (slash != std::string::npos) {
        auto p = parse_uint(a.substr(slash + 1));
        if (!p || *p > 128) return bad("IPv6 prefix (0..128)", a.substr(slash + 1));
        out.prefix = *p;
    } else if (need_prefix) {
        return bad("route (net/prefix)", v);
    }
    return {};
}
std::string str4(const Ipv4Addr& a) {
    char buf[INET_ADDRSTRLEN];
    inet_ntop(AF_INET, &a.addr, buf, sizeof buf);
    return cat(buf, "/", a.prefix);
}
std::string str6(const Ipv6Addr& a) {
    char buf[INET6_ADDRSTRLEN];
    inet_ntop(AF_INET6, &a.addr, buf, sizeof buf);
    return cat(buf, "/", a.prefix);
}
template <class L, class F>
std::string join_nl(const L& list, F f) {
    std::string s;
    for (auto& x : list) s += (s.empty() ? "" : "\n") + f(x);
    return s;
}

std::string parse_gateway(V v, Gateway& g, int af) {
    if (v.empty()) return g = Gateway{}, std::string{};
    if (v == "auto") return g = {Gateway::Kind::auto_, ""}, std::string{};
    if (v == "dev") return g = {Gateway::Kind::dev, ""}, std::string{};
    unsigned char buf[sizeof(in6_addr)];
    if (inet_pton(af, std::string(v).c_str(), buf) != 1)
        return bad(af == AF_INET ? "IPv4 gateway (address, auto or dev)"
                                 : "IPv6 gateway (address, auto or dev)",
                   v);
    g = {Gateway::Kind::address, std::string(v)};
    return {};
}
std::string print_gateway(const Gateway& g) {
    switch (g.kind) {
        case Gateway::Kind::none:
            return "";
        case Gateway::Kind::auto_:
            return "auto";
        case Gateway::Kind::dev:
            return "dev";
        case Gateway::Kind::address:
            return g.address;
    }
    return "";
}

// MAC address; 'x'/'X' nibbles are replaced by random ones at start.
bool valid_mac(V v) {
    if (v.size() != 17) return false;
    for (size_t i = 0; i < 17; ++i) {
        if (i % 3 == 2) {
            if (v[i] != ':') return false;
        } else if (!std::isxdigit(static_cast<unsigned char>(v[i])) && v[i] != 'x' && v[i] != 'X') {
            return false;
        }
    }
    return true;
}

std::string need_type(const Network& n, NetType t, const KeyCtx& k) {
    if (n.type == t) return {};
    return cat(k.key, " applies to ", type_name(t), " interfaces only (this one is ",
               n.type == NetType::unset ? "untyped" : type_name(n.type), ")");
}

#define TYPED(T, ...)                                                         \
    [](V v, [[maybe_unused]] Network& n, const KeyCtx& k) -> std::string {    \
        if (auto why = need_type(n, NetType::T, k); !why.empty()) return why; \
        __VA_ARGS__                                                           \
    }
#define TYPED_PRINT(T, expr)                           \
    [](const Network& n) -> Out {                      \
        if (n.type != NetType::T) return std::nullopt; \
        return expr;                                   \
    }

std::optional<unsigned> vlan_id(V v, unsigned max) {
    auto x = parse_uint(v);
    if (!x || *x > max) return std::nullopt;
    return x;
}

const NetRow kNetRows[] = {
    {"type",
     NPARSE{// Setting the type resets every field of the interface (LXC's rule: type comes first).
            Network fresh;
fresh.index = n.index;
fresh.where = k.where;
if (v.empty()) {
    fresh.type = NetType::unset;
    n = fresh;
    return {};
}
auto it = std::find_if(std::begin(kTypes), std::end(kTypes),
                       [&](const TypeName& t) { return t.name == v; });
if (it == std::end(kTypes))
    return bad("network type (veth, macvlan, ipvlan, vlan, phys, empty, none)", v);
fresh.type = it->type;
// An "empty" network has only the loopback device; LXC names the interface "lo".
if (fresh.type == NetType::empty) fresh.name = "lo";
n = fresh;
return {};
}  // namespace
, NPRINT {
    return n.type == NetType::unset ? std::string("(null)") : std::string(type_name(n.type));
}
, NCLEAR { n.type = NetType::unset; }
, "interface type: veth macvlan ipvlan vlan phys empty none", "veth"
}  // namespace cnt::config::detail
, {"flags", NPARSE{return n.up = !v.empty(), std::string{};
}
, NPRINT { return n.up ? std::string("up") : std::string(); }
, NCLEAR { n.up = false; }
, "up: bring the interface up", "up"
}
, {"link", NPARSE{if (n.type == NetType::phys && v.size() > 1 &&
                      v.back() == '+') return set_phys_link_prefix(n, v, k);
return set_ifname(n.link, v, k);
}
, NPRINT { return n.link; }
, NCLEAR { n.link.clear(); }
, "host interface: bridge (veth), parent (macvlan, ipvlan, vlan) or device (phys)", "br0"
}
, {"name", NPARSE{return set_ifname(n.name, v, k);
}
, NPRINT { return n.name; }
, NCLEAR { n.name.clear(); }
, "interface name inside the container", "eth0"
}
, {"hwaddr", NPARSE{if (!v.empty() && !valid_mac(v)) return bad(
                 "MAC address (hex or x pairs, e.g. 00:16:3e:xx:xx:xx)", v);
n.hwaddr = std::string(v);
return {};
}
, NPRINT { return n.hwaddr; }
, NCLEAR { n.hwaddr.clear(); }
, "MAC address; each x is a random hex digit", "00:16:3e:xx:xx:xx"
}
, {"mtu", NPARSE{if (v.empty()) return n.mtu = 0, std::string{};
auto m = parse_uint(v);
if (!m) return bad("MTU", v);
n.mtu = *m;
return {};
}
, NPRINT { return n.mtu ? std::to_string(n.mtu) : std::string(); }
, NCLEAR { n.mtu = 0; }
, "interface MTU", "1400"
}
, {"l2proxy", NPARSE{if (v.empty()) return n.l2proxy = false, std::string{};
auto b = parse_bool01(v);
if (!b) return bad("value (must be 0 or 1)", v);
n.l2proxy = *b;
return {};
}
, NPRINT { return std::string(n.l2proxy ? "1" : "0"); }
, NCLEAR { n.l2proxy = false; }
, "1: proxy ARP/NDP for the container's addresses on the link", "1"
}
, {"ipv4.address", NPARSE{if (v.empty()) return n.ipv4.clear(), std::string{};
Ipv4Addr a;
auto r = parse_ipv4(v, a, false);
if (r.empty()) n.ipv4.push_back(a);
return r;
}
, NPRINT { return join_nl(n.ipv4, str4); }
, NCLEAR { n.ipv4.clear(); }
, "A.B.C.D/prefix [broadcast] (append)", "10.0.3.5/24"
}
, {"ipv4.gateway", NPARSE{return parse_gateway(v, n.ipv4_gateway, AF_INET);
}
, NPRINT { return print_gateway(n.ipv4_gateway); }
, NCLEAR { n.ipv4_gateway = {}; }
, "IPv4 default gateway: an address, auto or dev", "10.0.3.1"
}
, {"ipv6.address", NPARSE{if (v.empty()) return n.ipv6.clear(), std::string{};
Ipv6Addr a;
auto r = parse_ipv6(v, a, false);
if (r.empty()) n.ipv6.push_back(a);
return r;
}
, NPRINT { return join_nl(n.ipv6, str6); }
, NCLEAR { n.ipv6.clear(); }
, "IPv6 address[/prefix] (default /64, append)", "fd00::5/64"
}
, {"ipv6.gateway", NPARSE{return parse_gateway(v, n.ipv6_gateway, AF_INET6);
}
, NPRINT { return print_gateway(n.ipv6_gateway); }
, NCLEAR { n.ipv6_gateway = {}; }
, "IPv6 default gateway: an address, auto or dev", "fd00::1"
}
, {"script.up", NPARSE{return n.script_up = v, std::string{};
}
, NPRINT { return n.script_up; }
, NCLEAR { n.script_up.clear(); }
, "host-side command run once the interface is created", "/usr/local/bin/net-up"
}
, {"script.down", NPARSE{return n.script_down = v, std::string{};
}
, NPRINT { return n.script_down; }
, NCLEAR { n.script_down.clear(); }
, "host-side command run before the interface is removed", "/usr/local/bin/net-down"
}
, {
    "veth.pair", TYPED(veth, return set_ifname(n.veth_pair, v, k);), TYPED_PRINT(veth, n.veth_pair),
        NCLEAR {
        n.veth_pair.clear();
    }
    , "name of the host end of a veth pair", "vethweb1"
}
, {
    "veth.mode",
        TYPED(veth, if (v.empty() || v == "bridge") n.veth_mode = Network::VethMode::bridge;
              else if (v == "router") n.veth_mode = Network::VethMode::router;
              else return bad("veth mode (bridge, router)", v); return {};),
        TYPED_PRINT(veth,
                    std::string(n.veth_mode == Network::VethMode::router ? "router" : "bridge")),
        NCLEAR {
        n.veth_mode = Network::VethMode::bridge;
    }
    , "bridge (attach to lxc.net.N.link) or router", "router"
}
, {
    "veth.ipv4.route",
        TYPED(veth, if (v.empty()) return n.veth_ipv4_routes.clear(), std::string{}; Ipv4Addr a;
              auto r = parse_ipv4(v, a, true); if (r.empty()) n.veth_ipv4_routes.push_back(a);
              return r;),
        TYPED_PRINT(veth, join_nl(n.veth_ipv4_routes, str4)), NCLEAR {
        n.veth_ipv4_routes.clear();
    }
    , "host route net/prefix towards the container (append)", "192.0.2.0/24"
}
, {
    "veth.ipv6.route",
        TYPED(veth, if (v.empty()) return n.veth_ipv6_routes.clear(), std::string{}; Ipv6Addr a;
              auto r = parse_ipv6(v, a, true); if (r.empty()) n.veth_ipv6_routes.push_back(a);
              return r;),
        TYPED_PRINT(veth, join_nl(n.veth_ipv6_routes, str6)), NCLEAR {
        n.veth_ipv6_routes.clear();
    }
    , "host IPv6 route net/prefix towards the container (append)", "fd01::/64"
}
, {
    "veth.vlan.id",
        TYPED(veth, if (v.empty()) return n.veth_vlan_id = 0, std::string{};
              if (v == "none") return n.veth_vlan_id = -1, std::string{};
              auto id = vlan_id(v, 4094); if (!id) return bad("VLAN id (0..4094 or none)", v);
              n.veth_vlan_id = static_cast<int>(*id); return {};),
        TYPED_PRINT(veth, std::to_string(n.veth_vlan_id)), NCLEAR {
        n.veth_vlan_id = 0;
    }
    , "untagged VLAN of the host end on a VLAN-aware bridge, or none", "10"
}
, {
    "veth.vlan.tagged.id",
        TYPED(veth, if (v.empty()) return n.veth_vlan_tagged.clear(), std::string{};
              auto id = vlan_id(v, 4094); if (!id) return bad("VLAN id (0..4094)", v);
              n.veth_vlan_tagged.push_back(*id); return {};),
        TYPED_PRINT(veth,
                    join_nl(n.veth_vlan_tagged, [](unsigned t) { return std::to_string(t); })),
        NCLEAR {
        n.veth_vlan_tagged.clear();
    }
    , "tagged VLAN of the host end (append)", "20"
}
, {
    "veth.n_rxqueues",
        TYPED(veth, if (v.empty()) return n.veth_rxqueues = 0, std::string{};
              auto q = parse_uint(v); if (!q || *q == 0) return bad("queue count (> 0)", v);
              n.veth_rxqueues = *q; return {};),
        TYPED_PRINT(veth, n.veth_rxqueues ? std::to_string(n.veth_rxqueues) : std::string()),
        NCLEAR {
        n.veth_rxqueues = 0;
    }
    , "number of RX queues of the veth", "4"
}
, {
    "veth.n_txqueues",
        TYPED(veth, if (v.empty()) return n.veth_txqueues = 0, std::string{};
              auto q = parse_uint(v); if (!q || *q == 0) return bad("queue count (> 0)", v);
              n.veth_txqueues = *q; return {};),
        TYPED_PRINT(veth, n.veth_txqueues ? std::to_string(n.veth_txqueues) : std::string()),
        NCLEAR {
        n.veth_txqueues = 0;
    }
    , "number of TX queues of the veth", "4"
}
, {
    "macvlan.mode",
        TYPED(macvlan, using M = Network::MacvlanMode;
              // LXC: an empty value leaves no valid mode ("(invalid)"), never private.
              if (v.empty()) n.macvlan_mode = M::invalid;
              else if (v == "private") n.macvlan_mode = M::private_;
              else if (v == "vepa") n.macvlan_mode = M::vepa;
              else if (v == "bridge") n.macvlan_mode = M::bridge;
              else if (v == "passthru") n.macvlan_mode = M::passthru;
              else return bad("macvlan mode (private, vepa, bridge, passthru)", v); return {};),
        TYPED_PRINT(macvlan,
                    std::string(n.macvlan_mode == Network::MacvlanMode::private_   ? "private"
                                : n.macvlan_mode == Network::MacvlanMode::vepa     ? "vepa"
                                : n.macvlan_mode == Network::MacvlanMode::bridge   ? "bridge"
                                : n.macvlan_mode == Network::MacvlanMode::passthru ? "passthru"
                                                                                   : "(invalid)")),
        NCLEAR {
        n.macvlan_mode = Network::MacvlanMode::private_;
    }
    , "private, vepa, bridge or passthru", "bridge"
}
, {
    "ipvlan.mode",
        TYPED(ipvlan, using M = Network::IpvlanMode;
              if (v.empty() || v == "l2") n.ipvlan_mode = M::l2;
              else if (v == "l3") n.ipvlan_mode = M::l3;
              else if (v == "l3s") n.ipvlan_mode = M::l3s;
              else return bad("ipvlan mode (l3, l3s, l2)", v); return {};),
        TYPED_PRINT(ipvlan, std::string(n.ipvlan_mode == Network::IpvlanMode::l2   ? "l2"
                                        : n.ipvlan_mode == Network::IpvlanMode::l3 ? "l3"
                                                                                   : "l3s")),
        NCLEAR {
        n.ipvlan_mode = Network::IpvlanMode::l2;
    }
    , "l3, l3s or l2 (default l2, as LXC really does)", "l3"
}
, {
    "ipvlan.isolation",
        TYPED(ipvlan, using I = Network::IpvlanIsolation;
              if (v.empty() || v == "bridge") n.ipvlan_isolation = I::bridge;
              else if (v == "private") n.ipvlan_isolation = I::private_;
              else if (v == "vepa") n.ipvlan_isolation = I::vepa;
              else return bad("ipvlan isolation (bridge, private, vepa)", v); return {};),
        TYPED_PRINT(
            ipvlan,
            std::string(n.ipvlan_isolation == Network::IpvlanIsolation::bridge     ? "bridge"
                        : n.ipvlan_isolation == Network::IpvlanIsolation::private_ ? "private"
                                                                                   : "vepa")),
        NCLEAR {
        n.ipvlan_isolation = Network::IpvlanIsolation::bridge;
    }
    , "bridge, private or vepa", "private"
}
, {
    "vlan.id",
        TYPED(vlan, if (v.empty()) return n.vlan_id = 0, std::string{}; auto id = vlan_id(v, 65535);
              if (!id) return bad("VLAN id", v); n.vlan_id = *id; return {};),
        TYPED_PRINT(vlan, std::to_string(n.vlan_id)), NCLEAR {
        n.vlan_id = 0;
    }
    , "VLAN id of a vlan interface", "100"
}
,
}
;

// "<N>" or "<N>.<sub>": N decimal, 0..INT_MAX-1.
std::optional<unsigned> net_index(V s, V& rest) {
    auto dot = s.find('.');
    V num = s.substr(0, dot);
    rest = dot == V::npos ? V{} : s.substr(dot + 1);
    if (num.empty() || num.size() > 10 ||
        !std::all_of(num.begin(), num.end(), [](char c) { return c >= '0' && c <= '9'; }))
        return std::nullopt;
    unsigned long long n = std::stoull(std::string(num));
    if (n >= 2147483647ull) return std::nullopt;
    return static_cast<unsigned>(n);
}

std::string parse_net(V v, Config& c, const KeyCtx& k) {
    V rest;
    auto idx = net_index(k.sub, rest);
    if (!idx) return cat("invalid network index in \"", k.key, "\"");
    if (rest.empty()) {
        if (!v.empty()) return cat(k.key, " only takes an empty value (removes the interface)");
        std::erase_if(c.networks, [&](const Network& n) { return n.index == *idx; });
        return {};
    }
    auto row = find_net_row(rest);
    if (!row) return cat("unknown network key \"", k.key, "\"");
    bool existed = std::any_of(c.networks.begin(), c.networks.end(),
                               [&](const Network& n) { return n.index == *idx; });
    Network& n = c.net(*idx);
    if (!existed) n.where = k.where;
    return row->parse(v, n, k);
}
Out print_net(const Config& c, const KeyCtx& k) {
    V rest;
    auto idx = net_index(k.sub, rest);
    if (!idx || rest.empty()) return std::nullopt;
    auto row = find_net_row(rest);
    if (!row) return std::nullopt;
    for (auto& n : c.networks)
        if (n.index == *idx) return row->print(n);
    return std::nullopt;
}
void clear_net(Config& c, const KeyCtx& k) {
    V rest;
    auto idx = net_index(k.sub, rest);
    if (!idx) return;
    if (rest.empty()) {
        std::erase_if(c.networks, [&](const Network& n) { return n.index == *idx; });
        return;
    }
    auto row = find_net_row(rest);
    if (!row) return;
    for (auto& n : c.networks)
        if (n.index == *idx) row->clear(n);
}

const KeyRow kNetFamily{
    "lxc.net.",
    true,
    parse_net,
    print_net,
    clear_net,
    "lxc.net.<N>.<subkey>: interface N (see NETWORK KEYS); lxc.net.<N> = (empty) removes it",
    "0.type",
    "veth"};
const KeyRow kNetBare{"lxc.net",
                      false,
                      [](V v, Config& c, const KeyCtx&) -> std::string {
                          if (!v.empty())
                              return "lxc.net without an index only takes an empty value";
                          c.networks.clear();
                          return {};
                      },
                      [](const Config& c, const KeyCtx&) -> Out {
                          std::string s;
                          for (auto& n : c.networks)
                              s += cat(n.type == NetType::unset ? "(invalid)" : type_name(n.type),
                                       "\n");
                          return s;
                      },
                      [](Config& c, const KeyCtx&) { c.networks.clear(); },
                      "empty: remove every interface",
                      "",
                      ""};

}  // namespace

const KeyRow* registry_net_row() { return &kNetFamily; }
const KeyRow* registry_net_bare() { return &kNetBare; }

std::span<const NetRow> net_rows() { return kNetRows; }
const NetRow* find_net_row(std::string_view sub) {
    for (auto& r : kNetRows)
        if (r.sub == sub) return &r;
    return nullptr;
}

}  // namespace cnt::config::detail
