// TEMPORARY stubs until libcore/security lands (issue #4).
#include "cnt/security.hpp"

namespace cnt::security {
Result<void> apply_prlimits(const std::vector<config::Prlimit>&) { return {}; }
Result<void> apply_sysctls(const std::vector<std::pair<std::string, std::string>>&) { return {}; }
Result<void> apply_proc(const std::vector<std::pair<std::string, std::string>>&) { return {}; }
Result<void> apply_caps(const config::Caps&) { return {}; }
Result<void> set_no_new_privs() { return {}; }
Result<std::unique_ptr<Seccomp>> Seccomp::compile(const std::string&) { return error("seccomp: not built yet"); }
std::optional<int> cap_from_name(std::string_view) { return std::nullopt; }
std::string cap_name(int c) { return std::to_string(c); }
int last_cap() { return 40; }
}  // namespace cnt::security
