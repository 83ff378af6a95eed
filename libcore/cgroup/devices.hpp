// Device access rules in LXC syntax, and their cgroup2 form: a BPF_PROG_TYPE_CGROUP_DEVICE
// program built instruction by instruction (no libbpf), loaded with bpf(2).
#pragma once
#include <linux/bpf.h>

#include <string>
#include <string_view>
#include <vector>

#include "cnt/error.hpp"

namespace cnt::cgroup {

struct DeviceRule {
    bool allow = true;
    char type = 'a';     // 'a' (any), 'b', 'c'
    int64_t major = -1;  // -1 = '*'
    int64_t minor = -1;
    unsigned access = 7;  // BPF_DEVCG_ACC_MKNOD | READ | WRITE
    bool all = false;     // the bare rule "a": resets the list and sets the default
    bool operator==(const DeviceRule&) const = default;
};

// "a", "c 1:3 rwm", "b *:* m", "/dev/null rw" (a path is stat'ed). allow = devices.allow.
Result<DeviceRule> parse_device_rule(std::string_view value, bool allow);
// The v1 text of a rule ("c 1:3 rwm", "a").
std::string device_rule_text(const DeviceRule& r);

// LXC's cgroup2 semantics: the program is an allowlist (default deny) unless a rule "allow = a"
// made it a denylist; a rule "a" resets the list. Only rules of the kind opposite to the
// default are kept; a later rule of the default's kind removes the access it names from
// earlier exceptions for the same device.
struct DevicePolicy {
    bool default_allow = false;
    std::vector<DeviceRule> exceptions;  // all with allow == !default_allow
};
DevicePolicy reduce_rules(const std::vector<DeviceRule>& rules);

// Compile a policy to BPF instructions. Request access must be within an allow exception's
// access; a deny exception matches when it shares any access bit with the request.
std::vector<bpf_insn> build_device_program(const DevicePolicy& p);

// Load the program and attach it to the cgroup dirfd (BPF_F_ALLOW_MULTI so programs of
// ancestors still run), then detach the programs that were attached to this cgroup before.
Result<void> attach_device_program(int cgroup_fd, const std::vector<bpf_insn>& prog);

}  // namespace cnt::cgroup
