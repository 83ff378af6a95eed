// Small methods of the Config types.
#include <arpa/inet.h>

#include <algorithm>
#include <cstring>

#include "cnt/config.hpp"

namespace cnt::config {

std::string Location::str() const {
    if (file.empty()) return "<define>";
    return cat(file, ":", line);
}

bool Ipv4Addr::operator==(const Ipv4Addr& o) const {
    auto bc = [](const std::optional<in_addr>& b) { return b ? b->s_addr : 0u; };
    return addr.s_addr == o.addr.s_addr && prefix == o.prefix &&
           bool(broadcast) == bool(o.broadcast) && bc(broadcast) == bc(o.broadcast);
}
bool Ipv6Addr::operator==(const Ipv6Addr& o) const {
    return std::memcmp(&addr, &o.addr, sizeof addr) == 0 && prefix == o.prefix;
}
bool Network::operator==(const Network& o) const {
    return index == o.index && type == o.type && up == o.up && link == o.link && name == o.name &&
           hwaddr == o.hwaddr && mtu == o.mtu && l2proxy == o.l2proxy && ipv4 == o.ipv4 &&
           ipv4_gateway == o.ipv4_gateway && ipv6 == o.ipv6 && ipv6_gateway == o.ipv6_gateway &&
           script_up == o.script_up && script_down == o.script_down && veth_pair == o.veth_pair &&
           veth_mode == o.veth_mode && veth_ipv4_routes == o.veth_ipv4_routes &&
           veth_ipv6_routes == o.veth_ipv6_routes && veth_vlan_id == o.veth_vlan_id &&
           veth_vlan_tagged == o.veth_vlan_tagged && veth_rxqueues == o.veth_rxqueues &&
           veth_txqueues == o.veth_txqueues && macvlan_mode == o.macvlan_mode &&
           ipvlan_mode == o.ipvlan_mode && ipvlan_isolation == o.ipvlan_isolation &&
           vlan_id == o.vlan_id;
}
bool Hooks::operator==(const Hooks& o) const {
    if (version != o.version) return false;
    for (int i = 0; i < kHookTypes; ++i)
        if (list[i] != o.list[i]) return false;
    return true;
}

Network& Config::net(unsigned index) {
    auto it = std::lower_bound(networks.begin(), networks.end(), index,
                               [](const Network& n, unsigned i) { return n.index < i; });
    if (it != networks.end() && it->index == index) return *it;
    Network n;
    n.index = index;
    n.type = NetType::empty;
    return *networks.insert(it, std::move(n));
}

std::string Diagnostic::str() const { return cat(where.str(), ": ", message); }

bool Diagnostics::has_errors() const {
    return std::any_of(items.begin(), items.end(), [](const Diagnostic& d) {
        return d.severity == Diagnostic::Severity::error;
    });
}
void Diagnostics::warn(const Location& w, std::string msg) {
    items.push_back({Diagnostic::Severity::warning, w, std::move(msg)});
}
void Diagnostics::error(const Location& w, std::string msg) {
    items.push_back({Diagnostic::Severity::error, w, std::move(msg)});
}

}  // namespace cnt::config
