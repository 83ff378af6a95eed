// TEMPORARY stub until libcore/net lands (issue #6): only "empty" and "none" networks.
#include "cnt/net.hpp"

namespace cnt::net {
store::KeyValues Attached::save() const { return {}; }
Attached Attached::load(const store::KeyValues&) { return {}; }
Result<Attached> setup(const std::vector<config::Network>& nets, const std::string&, pid_t, Undo&) {
    for (const auto& n : nets)
        if (n.type != config::NetType::empty && n.type != config::NetType::none &&
            n.type != config::NetType::unset)
            return error("network type not built yet");
    return Attached{};
}
Result<void> teardown(const Attached&, pid_t) { return {}; }
Result<std::vector<std::string>> addresses(pid_t) { return std::vector<std::string>{}; }
Result<std::vector<LinkInfo>> host_links(const Attached&) { return std::vector<LinkInfo>{}; }
}  // namespace cnt::net
