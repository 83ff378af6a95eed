// Where a user's delegated subtree is in one hierarchy (for the start path of a normal user).
#pragma once
#include <sys/types.h>

#include <string>

#include "cgroup/layout.hpp"
#include "cnt/delegate.hpp"

namespace cnt::cgroup {

// <mountpoint>/cnt.user.<uid>: the delegation sits directly under the hierarchy's root.
// "" when the mount is not the hierarchy's root (a cgroup namespace or a bind mount of a
// sub-cgroup shows only part of it).
std::string user_dir(const Hierarchy& h, uid_t uid);

}  // namespace cnt::cgroup
