// What init applies to itself before exec: rlimits, sysctls, /proc/self writes, capabilities,
// no_new_privs, seccomp. The seccomp profile is compiled in the monitor (host paths) before
// clone and only loaded in the child.
#pragma once
#include <bitset>
#include <cstdint>
#include <memory>
#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include "cnt/config.hpp"
#include "cnt/error.hpp"

namespace cnt::security {

// lxc.prlimit.*: setrlimit for each entry.
Result<void> apply_prlimits(const std::vector<config::Prlimit>& limits);
// lxc.sysctl.*: write /proc/sys/<a/b/c> (after the container's /proc is mounted).
Result<void> apply_sysctls(const std::vector<std::pair<std::string, std::string>>& sysctls);
// lxc.proc.*: write /proc/self/<file>.
Result<void> apply_proc(const std::vector<std::pair<std::string, std::string>>& entries);
// lxc.cap.drop / lxc.cap.keep: bounding set, then inheritable, ambient, effective, permitted,
// so the exec'ed program has exactly the allowed caps. Call last before exec.
//
// Order in init, because of two kernel rules: lowering the bounding set needs CAP_SETPCAP,
// and installing a seccomp filter needs CAP_SYS_ADMIN unless no_new_privs is set; both are
// lost when apply_caps clears the effective set, and setresuid to a non-zero uid clears it
// too. So:  set_no_new_privs (if) -> seccomp load -> drop_bounding_set -> setgroups/setgid/
// setuid -> apply_caps -> exec.  (As uid 0 without setuid, drop_bounding_set is optional:
// apply_caps does it too and skips caps the bounding set no longer has.)
Result<void> apply_caps(const config::Caps& caps);
// Only the bounding-set part of apply_caps; call while init still has CAP_SETPCAP.
Result<void> drop_bounding_set(const config::Caps& caps);

// The capabilities that remain allowed under `caps` on a kernel whose highest cap is `last`.
// Pure: what apply_caps enforces, computed without touching the process.
using CapSet = std::bitset<64>;
CapSet allowed_caps(const config::Caps& caps, int last);
Result<void> set_no_new_privs();

// A compiled lxc.seccomp.profile (LXC's text format, versions 1 and 2).
class Seccomp {
  public:
    // With `cache_dir`, the program is kept there by the profile's content: a profile seen
    // before is read back instead of compiled (libseccomp's compile and code generation cost
    // more than the rest of init's security steps), and loaded with one system call.
    static Result<std::unique_ptr<Seccomp>> compile(const std::string& profile_path,
                                                    const std::string& cache_dir = {});
    virtual ~Seccomp() = default;
    // seccomp_load in the child. The kernel lets a task install a filter only if it has
    // no_new_privs set or CAP_SYS_ADMIN in its effective set: call it after set_no_new_privs
    // and before apply_caps / a setuid away from root (see the order above apply_caps).
    virtual Result<void> load() = 0;
    // The kernel's BPF program of this filter (struct sock_filter array), for a process that
    // did not inherit the compiled filter: cnt-attach gets it from the monitor.
    virtual Result<std::string> bpf() const = 0;
};
// Install a BPF program as made by Seccomp::bpf() on the calling thread (same kernel rule as
// Seccomp::load: no_new_privs or CAP_SYS_ADMIN in the caller's user namespace).
Result<void> load_bpf(std::string_view program);

// The parsed form of a policy file, before libseccomp sees it (exposed for tests and logs).
namespace seccomp {
enum class ActionKind { kill, errno_, trap, trace, allow, notify };
struct Action {
    ActionKind kind = ActionKind::kill;
    int value = 0;  // errno_ / trace
    bool operator==(const Action&) const = default;
};
enum class Op { ne, lt, le, eq, ge, gt, masked_eq };
struct ArgCmp {
    unsigned index = 0;
    Op op = Op::eq;
    uint64_t value = 0, mask = 0;
    bool operator==(const ArgCmp&) const = default;
};
struct Rule {
    int line = 0;
    std::string arch;     // "" = every arch of the filter ([all] or before any section)
    std::string syscall;  // a name (v2), a number (v1), or "reject_force_umount"
    Action action;
    std::vector<ArgCmp> args;
    bool operator==(const Rule&) const = default;
};
struct Policy {
    int version = 0;
    bool denylist = false;
    Action default_action;  // for syscalls without a rule
    std::vector<Rule> rules;
};
// `where` names the source in errors ("/path/profile"): "where:LINE: message".
Result<Policy> parse(std::string_view text, const std::string& where);
}  // namespace seccomp

// Capability names (lowercase, no CAP_ prefix) <-> numbers, for the config registry and tests.
std::optional<int> cap_from_name(std::string_view name);
std::string cap_name(int cap);
int last_cap();

}  // namespace cnt::security
