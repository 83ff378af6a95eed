// Delegated cgroup subtrees for normal users (cnt-delegate): `cnt.user.<UID>` directly under
// the root of every cgroup hierarchy of the host (each v1 mount, named ones included, and the
// cgroup2 mount), owned by the user, so that its containers' cgroups go below it.
#pragma once
#include <sys/types.h>

#include <string>
#include <vector>

#include "cnt/error.hpp"

namespace cnt::cgroup {

// The user's delegated directory, relative to the root of each hierarchy: "cnt.user.1001".
std::string user_base(uid_t uid);

// One hierarchy's part of a delegation, as found on disk.
struct DelegatedDir {
    std::string label;  // "memory", "name=systemd", "unified"
    std::string path;   // "/sys/fs/cgroup/memory/cnt.user.1001"
    bool present = false;
    uid_t owner = 0;  // the directory's owner (when present)
};
struct Delegation {
    uid_t uid = 0;
    std::vector<DelegatedDir> dirs;  // one per hierarchy of the host
    // Every hierarchy has the directory, owned by the user.
    bool complete() const;
};

// Make (or repair) the delegation of uid (owner gid): idempotent. On cgroup2, the root's
// controllers are enabled in its cgroup.subtree_control (best effort) so that the user can
// enable them below; a v1 cpuset gets its parent's cpus and mems.
Result<Delegation> delegate(uid_t uid, gid_t gid);
// Remove it: refused (nothing removed) while any of its cgroups holds a process; empty
// child cgroups are removed depth first. Nothing to remove is not an error.
Result<void> undelegate(uid_t uid);
// For the start path of a normal user: success when every hierarchy has uid's delegated
// directory, owned by uid; otherwise the error names the first one missing (or not owned) and
// says how to get one ("ask root to run: cnt-delegate <uid>").
Result<void> require_delegation(uid_t uid);
// Every delegation found on the host (a cnt.user.<N> directory in any hierarchy), by uid.
Result<std::vector<Delegation>> list_delegations();

}  // namespace cnt::cgroup
