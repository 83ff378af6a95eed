// Users and groups from /etc/passwd and /etc/group, read directly: the tools are static and
// never load NSS modules (a setuid helper must not, either). Names, ids and homes only.
#pragma once
#include <sys/types.h>

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cnt/error.hpp"

namespace cnt::users {

struct User {
    std::string name;
    uid_t uid = 0;
    gid_t gid = 0;     // primary group
    std::string home;  // "" when the line has none
};

// Parse passwd/group texts (pure; unit-tested). Malformed lines are skipped.
std::optional<User> find_in_passwd(std::string_view passwd, std::string_view name_or_uid);
std::optional<User> find_uid_in_passwd(std::string_view passwd, uid_t uid);
// The names of the groups `u` is in: its primary group and every group listing it.
std::vector<std::string> groups_in(std::string_view group, const User& u);

// The same on /etc/passwd and /etc/group. A numeric argument is a uid.
Result<User> find(std::string_view name_or_uid);
Result<User> by_uid(uid_t uid);
Result<std::vector<std::string>> groups_of(const User& u);

}  // namespace cnt::users
