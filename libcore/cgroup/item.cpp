#include "cgroup/item.hpp"

#include <fcntl.h>
#include <unistd.h>

#include <algorithm>

#include "cgroup/translate.hpp"
#include "cnt/store.hpp"
#include "cnt/text.hpp"

namespace cnt::cgroup {
namespace {

constexpr std::string_view kV1Unlimited = "9223372036854771712";

std::string controller_of(const std::string& key) { return key.substr(0, key.find('.')); }

bool exists(const std::string& dir, const std::string& file) {
    return !dir.empty() && ::faccessat(AT_FDCWD, (dir + "/" + file).c_str(), F_OK, 0) == 0;
}

// A control file name: "ctrl.file", no path separators, nothing that climbs out.
Result<void> check_name(const std::string& key) {
    bool ok = key.size() >= 3 && key.size() <= 255 && key.find('.') != std::string::npos &&
              key.front() != '.' && key.back() != '.' && key.find('/') == std::string::npos;
    if (!ok) return error("invalid cgroup file name \"", key, "\" (<controller>.<file> expected)");
    return {};
}

// The files a translation maps `key` onto, found by translating sample values (the tables
// say which files a name becomes; the value does not change that).
std::vector<Write> translate_one(Version from, const std::string& key) {
    for (const char* sample : {"max", "100", "max 100000", "-1"}) {
        std::vector<config::CgroupEntry> e{{key, sample, {}}};
        auto w = from == Version::v1 ? v1_to_v2(e) : v2_to_v1(e);
        if (w && !w->empty()) return *w;
    }
    return {};
}

Result<std::string> read_value(const std::string& dir, const std::string& file) {
    auto t = store::read_file(dir + "/" + file);
    if (!t) return std::unexpected(std::move(t.error()));
    std::string s = std::move(*t);
    while (!s.empty() && (s.back() == '\n' || s.back() == ' ')) s.pop_back();
    return s;
}

std::string dir_of(const SavedDirs& d, Version v, const std::string& file) {
    return v == Version::v1 ? d.v1_for(controller_of(file)) : d.v2;
}

}  // namespace

std::string SavedDirs::v1_for(std::string_view ctrl) const {
    for (const auto& h : v1)
        for (auto c : split(h.label, ","))
            if (c == ctrl) return h.path;
    return {};
}

SavedDirs saved_dirs(const Saved& saved) {
    SavedDirs d;
    for (const auto& h : saved.v1) d.v1.push_back({h.controllers, h.path});
    d.v2 = saved.v2;
    return d;
}

Result<Version> key_version(const SavedDirs& d, const std::string& key) {
    CNT_TRY(check_name(key));
    if (exists(d.v1_for(controller_of(key)), key)) return Version::v1;
    if (exists(d.v2, key)) return Version::v2;
    // Device rules: the v1 files, else a cgroup2 device program (Group::apply).
    if (key == "devices.allow" || key == "devices.deny")
        return d.v1_for("devices").empty() && !d.v2.empty() ? Version::v2 : Version::v1;
    if (!translate_one(Version::v2, key).empty()) return Version::v2;
    if (!translate_one(Version::v1, key).empty()) return Version::v1;
    return errno_error(ENOENT, cat("no cgroup file \"", key, "\" in the container's cgroups"));
}

Result<std::string> read_item(const SavedDirs& d, const std::string& key) {
    CNT_ASSIGN(v, key_version(d, key));
    if (std::string dir = dir_of(d, v, key); exists(dir, key)) return read_value(dir, key);
    // Only the other version has it: read its files and translate them back.
    Version other = v == Version::v1 ? Version::v2 : Version::v1;
    std::vector<config::CgroupEntry> back;
    for (const auto& w : translate_one(v, key)) {
        std::string dir = dir_of(d, other, w.file);
        if (!exists(dir, w.file))
            return errno_error(ENOENT,
                               cat("\"", key, "\": this host has neither it nor \"", w.file, "\""));
        CNT_ASSIGN(val, read_value(dir, w.file));
        // v1's "no limit" is the largest page count in bytes, not -1.
        if (val == kV1Unlimited) val = "-1";
        back.push_back({w.file, val, {}});
    }
    auto t = other == Version::v1 ? v1_to_v2(back) : v2_to_v1(back);
    if (!t) return std::unexpected(std::move(t.error()));
    for (const auto& w : *t)
        if (w.file == key) return w.value;
    return errno_error(ENOENT, cat("\"", key, "\" cannot be read back from the other version"));
}

Result<config::CgroupSettings> item_settings(const SavedDirs& d, const std::string& key,
                                             const std::string& value) {
    CNT_ASSIGN(v, key_version(d, key));
    std::string k = (v == Version::v1 ? "lxc.cgroup." : "lxc.cgroup2.") + key;
    config::Config cfg;
    config::Diagnostics diags;
    config::Location where{"<command line>", 0};
    if (value.empty()) return error(k, ": an empty value is not a cgroup setting");
    if (!config::set_item(cfg, k, value, where, diags)) {
        for (const auto& i : diags.items)
            if (i.severity == config::Diagnostic::Severity::error) return error(i.message);
    }
    // A value the translation would refuse is refused on every host, as in a config.
    if (!translate_one(v, key).empty()) {
        auto t = v == Version::v1 ? v1_to_v2(cfg.cgroup.v1) : v2_to_v1(cfg.cgroup.v2);
        if (!t) return error(t.error().step);
    }
    return std::move(cfg.cgroup);
}

}  // namespace cnt::cgroup
