// Capability names as LXC writes them in lxc.cap.drop / lxc.cap.keep: lowercase, no "cap_"
// prefix, indexed by the kernel's capability number (linux/capability.h).
#pragma once
#include <optional>
#include <string_view>

namespace cnt {

inline constexpr std::string_view kCapNames[] = {
    "chown",           "dac_override",     "dac_read_search", "fowner",          "fsetid",
    "kill",            "setgid",           "setuid",          "setpcap",         "linux_immutable",
    "net_bind_service", "net_broadcast",   "net_admin",       "net_raw",         "ipc_lock",
    "ipc_owner",       "sys_module",       "sys_rawio",       "sys_chroot",      "sys_ptrace",
    "sys_pacct",       "sys_admin",        "sys_boot",        "sys_nice",        "sys_resource",
    "sys_time",        "sys_tty_config",   "mknod",           "lease",           "audit_write",
    "audit_control",   "setfcap",          "mac_override",    "mac_admin",       "syslog",
    "wake_alarm",      "block_suspend",    "audit_read",      "perfmon",         "bpf",
    "checkpoint_restore",
};
inline constexpr int kCapCount = sizeof kCapNames / sizeof kCapNames[0];

// Exact lowercase name -> number (LXC rejects "CAP_SYS_ADMIN" and "SYS_ADMIN").
constexpr std::optional<int> cap_number(std::string_view name) {
    for (int i = 0; i < kCapCount; ++i)
        if (kCapNames[i] == name) return i;
    return std::nullopt;
}
constexpr std::string_view cap_name(int n) {
    return n >= 0 && n < kCapCount ? kCapNames[n] : std::string_view{};
}

}  // namespace cnt
