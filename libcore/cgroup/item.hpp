// One cgroup value of a running container by name (cnt-cgroup, as lxc-cgroup): the v1 or the
// v2 file name, each read or written where the host has it and translated as the config's
// limits are (cgroup/translate.hpp) where only the other version has it.
#pragma once
#include <string>

#include "cnt/cgroup.hpp"
#include "cnt/config.hpp"
#include "cnt/error.hpp"

namespace cnt::cgroup {

// Where each hierarchy of a running group is, from its saved state (Group::save()).
struct SavedDirs {
    struct V1 {
        std::string label;  // "cpu,cpuacct", "memory"
        std::string path;
    };
    std::vector<V1> v1;
    std::string v2;  // "" without a cgroup2 directory
    // The directory whose hierarchy has `ctrl`; "" when none.
    std::string v1_for(std::string_view ctrl) const;
};
SavedDirs saved_dirs(const Saved& saved);

// Which version's name `key` is ("memory.limit_in_bytes" v1, "memory.max" v2): the version
// whose directory holds the file, else the version whose translation table knows the name.
// An error when neither does.
enum class Version { v1, v2 };
Result<Version> key_version(const SavedDirs& d, const std::string& key);

// The value of `key` (trailing newline removed), translated from the other version's files
// when this host has only those.
Result<std::string> read_item(const SavedDirs& d, const std::string& key);

// `key = value` as config settings (lxc.cgroup.KEY or lxc.cgroup2.KEY), checked as the config
// reader checks them and, for a key with a translation, as the translation parses it; for
// Group::apply, which writes it where the host has it.
Result<config::CgroupSettings> item_settings(const SavedDirs& d, const std::string& key,
                                             const std::string& value);

}  // namespace cnt::cgroup
