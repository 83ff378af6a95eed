// What init applies to itself before exec: rlimits, sysctls, /proc/self writes, capabilities,
// no_new_privs, seccomp. The seccomp profile is compiled in the monitor (host paths) before
// clone and only loaded in the child.
#pragma once
#include <memory>
#include <string>
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
// lxc.cap.drop / lxc.cap.keep: bounding set, then inheritable, ambient, effective, permitted.
// Call last before exec (after setuid/setgid handling).
Result<void> apply_caps(const config::Caps& caps);
Result<void> set_no_new_privs();

// A compiled lxc.seccomp.profile (LXC's text format, versions 1 and 2).
class Seccomp {
public:
    static Result<std::unique_ptr<Seccomp>> compile(const std::string& profile_path);
    virtual ~Seccomp() = default;
    // seccomp_load in the child, after everything else and right before exec.
    virtual Result<void> load() = 0;
};

// Capability names (lowercase, no CAP_ prefix) <-> numbers, for the config registry and tests.
std::optional<int> cap_from_name(std::string_view name);
std::string cap_name(int cap);
int last_cap();

}  // namespace cnt::security
