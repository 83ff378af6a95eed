// The system settings in effect, by name (cnt-config, as lxc-config): LXC's names
// (lxc.lxcpath, lxc.default_config, lxc.cgroup.pattern) and cnt.conf's section.key names.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cnt/sysconf.hpp"

namespace cnt::sysconf {

// Every name cnt-config knows, LXC's first, in a fixed order.
std::vector<std::string_view> item_names();
// The value in effect for `name` given the loaded settings; "" when not set; nullopt when
// `name` is unknown.
std::optional<std::string> item_value(const Settings& s, std::string_view name);

}  // namespace cnt::sysconf
