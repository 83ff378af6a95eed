// cnt-config's table: one row per setting, under LXC's name and cnt.conf's.
#include <algorithm>

#include "cnt/sysitems.hpp"

namespace cnt::sysconf {
namespace {

using Get = std::string (*)(const Settings&);

struct Row {
    std::string_view lxc;  // LXC's lxc-config name ("" when LXC has none)
    std::string_view ini;  // cnt.conf's section.key ("" when cnt.conf has none)
    Get get;
};

std::string join(const std::vector<std::string>& v) {
    std::string out;
    for (const auto& x : v) out += (out.empty() ? "" : " ") + x;
    return out;
}

// Values in effect: defaults filled in as the tools fill them (template_dir and
// default_config are searched when cnt.conf leaves them empty).
constexpr Row kRows[] = {
    {"lxc.default_config", "paths.default_config",
     [](const Settings&) { return default_config(); }},
    {"lxc.lxcpath", "paths.lxcpath", [](const Settings& s) { return s.lxcpath; }},
    {"lxc.cgroup.pattern", "", [](const Settings&) { return std::string("cnt.payload.%n"); }},
    {"", "paths.template_dir", [](const Settings&) { return template_dir(); }},
    {"", "paths.rundir", [](const Settings& s) { return s.rundir; }},
    {"", "log.level", [](const Settings& s) { return s.log_level; }},
    {"", "cgroup.delegate", [](const Settings& s) { return join(s.delegate); }},
};

}  // namespace

std::vector<std::string_view> item_names() {
    std::vector<std::string_view> out;
    for (const auto& r : kRows)
        if (!r.lxc.empty()) out.push_back(r.lxc);
    for (const auto& r : kRows)
        if (!r.ini.empty()) out.push_back(r.ini);
    return out;
}

std::optional<std::string> item_value(const Settings& s, std::string_view name) {
    auto it = std::find_if(std::begin(kRows), std::end(kRows), [&](const Row& r) {
        return !name.empty() && (r.lxc == name || r.ini == name);
    });
    if (it == std::end(kRows)) return std::nullopt;
    return it->get(s);
}

}  // namespace cnt::sysconf
