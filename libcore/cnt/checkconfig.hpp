// cnt-checkconfig: which kernel features containers need, from the kernel config when one can
// be found ($CONFIG, /proc/config.gz, /lib/modules/<release>/build/.config, /boot/config-<release>)
// and from the live system (/proc, /sys) otherwise or in addition.
#pragma once
#include <map>
#include <string>
#include <vector>

#include "cnt/error.hpp"

namespace cnt::checkconfig {

// CONFIG_FOO -> "y" / "m" (unset options are absent).
using KernelConfig = std::map<std::string, std::string>;
KernelConfig parse_kernel_config(const std::string& text);

// What the running system shows, probed once (paths are parameters for tests).
struct Live {
    std::map<std::string, bool> ns;           // "uts" -> /proc/self/ns/uts exists
    std::map<std::string, bool> controllers;  // "memory" -> enabled in /proc/cgroups or cgroup2
    bool seccomp = false;                     // "Seccomp:" in /proc/self/status
    bool ns_last_pid = false;                 // /proc/sys/kernel/ns_last_pid: checkpoint/restore
    bool mqueue = false;                      // /proc/sys/fs/mqueue
    std::map<std::string, bool> modules;      // "veth" -> /sys/module/veth or modules.builtin
    bool modules_known = false;               // modules.builtin was readable
    int kernel_major = 0, kernel_minor = 0;
    std::string cgroup_layout;  // "v1", "v2", "hybrid", "none"
    std::vector<std::string> cgroup_v1_mounts, cgroup_v2_mounts;
    std::string userns_clone;           // /proc/sys/kernel/unprivileged_userns_clone ("" = absent)
    std::string max_user_namespaces;    // /proc/sys/user/max_user_namespaces
    std::vector<std::string> warnings;  // newuidmap without setuid, ...
};
Live probe();

enum class Status { enabled, missing, required, unknown };
std::string_view status_name(Status s);

struct Item {
    std::string section;  // "Namespaces", "Control groups", "Network", "Misc", "Checkpoint/Restore"
    std::string label;    // "Utsname namespace"
    std::string option;   // "CONFIG_UTS_NS"
    Status status = Status::unknown;
    std::string note;  // "module", "live probe", ...
};

struct Report {
    std::string config_source;  // where the kernel config came from; "" = none found
    std::vector<Item> items;
    std::vector<std::string> info;  // cgroup layout and mount points, user ns settings, warnings
    bool required_missing() const;
};

// Find and read the kernel config: text plus where it came from; nullopt-ish: empty source.
struct Found {
    std::string source;
    std::string text;
};
Found find_kernel_config();

// Evaluate every feature. cfg may be null (no kernel config: live probing only).
Report evaluate(const KernelConfig* cfg, const Live& live);

}  // namespace cnt::checkconfig
