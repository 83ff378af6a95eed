// Capabilities: the name table, lxc.cap.drop / lxc.cap.keep, and applying them to init.
#include <sys/capability.h>
#include <sys/prctl.h>

#include <array>

#include "cnt/security.hpp"
#include "cnt/store.hpp"

namespace cnt::security {
namespace {

// Index = capability number (linux/capability.h). Names as LXC spells them in configs.
constexpr std::array<std::string_view, 41> kCapNames = {
    "chown",
    "dac_override",
    "dac_read_search",
    "fowner",
    "fsetid",
    "kill",
    "setgid",
    "setuid",
    "setpcap",
    "linux_immutable",
    "net_bind_service",
    "net_broadcast",
    "net_admin",
    "net_raw",
    "ipc_lock",
    "ipc_owner",
    "sys_module",
    "sys_rawio",
    "sys_chroot",
    "sys_ptrace",
    "sys_pacct",
    "sys_admin",
    "sys_boot",
    "sys_nice",
    "sys_resource",
    "sys_time",
    "sys_tty_config",
    "mknod",
    "lease",
    "audit_write",
    "audit_control",
    "setfcap",
    "mac_override",
    "mac_admin",
    "syslog",
    "wake_alarm",
    "block_suspend",
    "audit_read",
    "perfmon",
    "bpf",
    "checkpoint_restore",
};

struct CapDeleter {
    void operator()(_cap_struct* c) const { cap_free(c); }
};
using CapPtr = std::unique_ptr<_cap_struct, CapDeleter>;

}  // namespace

std::optional<int> cap_from_name(std::string_view name) {
    for (size_t i = 0; i < kCapNames.size(); ++i)
        if (kCapNames[i] == name) return static_cast<int>(i);
    return std::nullopt;
}

std::string cap_name(int cap) {
    if (cap >= 0 && static_cast<size_t>(cap) < kCapNames.size()) return std::string(kCapNames[cap]);
    return std::to_string(cap);
}

int last_cap() {
    static const int last = [] {
        int n = -1;
        if (auto t = store::read_file("/proc/sys/kernel/cap_last_cap")) n = std::atoi(t->c_str());
        if (n >= 0 && n < 64) return n;
        return static_cast<int>(kCapNames.size()) - 1;
    }();
    return last;
}

CapSet allowed_caps(const config::Caps& caps, int last) {
    CapSet all;
    for (int c = 0; c <= last && c < 64; ++c) all.set(c);
    CapSet listed;
    for (int c : caps.list)
        if (c >= 0 && c < 64) listed.set(c);
    switch (caps.mode) {
        case config::Caps::Mode::none:
            return all;
        case config::Caps::Mode::drop:
            return all & ~listed;
        case config::Caps::Mode::keep:
            return all & listed;
    }
    return all;
}

Result<void> drop_bounding_set(const config::Caps& caps) {
    if (caps.mode == config::Caps::Mode::none) return {};
    const int last = last_cap();
    const CapSet allowed = allowed_caps(caps, last);
    // The bounding set caps what any later execve can gain, including setuid-root and
    // file-capability binaries. Lowering it needs CAP_SETPCAP even for a cap already gone,
    // so only the caps still present are dropped: a second call is a no-op without privilege.
    for (int c = 0; c <= last; ++c) {
        if (allowed.test(c) || ::prctl(PR_CAPBSET_READ, c, 0, 0, 0) != 1) continue;
        if (::prctl(PR_CAPBSET_DROP, c, 0, 0, 0) != 0)
            return sys_error(cat("dropping capability ", cap_name(c), " from the bounding set"));
    }
    return {};
}

Result<void> apply_caps(const config::Caps& caps) {
    if (caps.mode == config::Caps::Mode::none) return {};
    const int last = last_cap();
    const CapSet allowed = allowed_caps(caps, last);
    CNT_TRY(drop_bounding_set(caps));
    // Ambient caps survive execve of unprivileged programs; lower the ones not allowed.
    // EINVAL: kernel without ambient support, nothing to lower.
    for (int c = 0; c <= last; ++c) {
        if (allowed.test(c)) continue;
        if (::prctl(PR_CAP_AMBIENT, PR_CAP_AMBIENT_LOWER, c, 0, 0) != 0 && errno != EINVAL)
            return sys_error(cat("lowering ambient capability ", cap_name(c)));
    }
    CapPtr cur(cap_get_proc());
    if (!cur) return sys_error("reading process capabilities");
    for (int c = 0; c <= last; ++c) {
        if (allowed.test(c)) continue;
        cap_value_t v = c;
        for (cap_flag_t f : {CAP_EFFECTIVE, CAP_PERMITTED, CAP_INHERITABLE})
            if (cap_set_flag(cur.get(), f, 1, &v, CAP_CLEAR) != 0)
                return sys_error(cat("clearing capability ", cap_name(c)));
    }
    if (cap_set_proc(cur.get()) != 0) return sys_error("setting process capabilities");
    return {};
}

}  // namespace cnt::security
