// A normal user's cgroups: below the subtree root delegated to it with `cnt-delegate USER`
// (cnt.user.<UID> at the root of every hierarchy, owned by the user), never below the
// caller's own cgroups, which the user cannot write.
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>

#include "cgroup/layout.hpp"
#include "cnt/delegate.hpp"
#include "cnt/log.hpp"
#include "cnt/sysconf.hpp"

namespace cnt::cgroup {
namespace {

// A directory the caller owns and may write into (so may make cgroups in).
bool owned(const std::string& p) {
    struct stat st {};
    return ::stat(p.c_str(), &st) == 0 && S_ISDIR(st.st_mode) && st.st_uid == ::geteuid() &&
           ::access(p.c_str(), W_OK) == 0;
}

bool owned_file(const std::string& p) {
    struct stat st {};
    return ::stat(p.c_str(), &st) == 0 && st.st_uid == ::geteuid() &&
           ::access(p.c_str(), W_OK) == 0;
}

bool named_only(const Hierarchy& h) {
    return std::all_of(h.controllers.begin(), h.controllers.end(),
                       [](const std::string& c) { return c.rfind("name=", 0) == 0; });
}

// Point h at its delegated directory: `own` then names it (Hierarchy::own_dir).
bool delegate(Hierarchy& h, const std::string& name) {
    if (!owned(h.mountpoint + "/" + name)) return false;
    h.own = (h.root == "/" ? "" : h.root) + "/" + name;
    return true;
}

}  // namespace

std::string delegation_name() { return user_base(::geteuid()); }

Result<void> use_delegation(Layout& l) {
    const std::string name = delegation_name();
    std::vector<std::string> missing;
    if (l.v2 && !l.v1.empty()) {
        // Hybrid: moving a process into a cgroup2 directory takes write access to the
        // cgroup.procs of the common ancestor of where it is and where it goes, here the
        // root, which only root has (clone3's CLONE_INTO_CGROUP too). The v2 leaf is only a
        // faster freezer there: the v1 freezer and the other v1 hierarchies track the
        // container instead.
        log::info(
            "cgroup: no cgroup2 leaf for a user's container on a hybrid host (the v1 "
            "freezer is used)");
        l.v2.reset();
    } else if (l.v2) {
        // Pure cgroup2: the caller's own cgroup when it is the caller's (systemd's delegated
        // user@.service), else the delegated subtree.
        std::string own = l.v2->own_dir();
        const std::string sits = l.v2->own;
        if (owned(own) && owned_file(own + "/cgroup.procs")) {
            // the caller's own cgroup
        } else if (!delegate(*l.v2, name)) {
            missing.push_back(l.v2->mountpoint + "/" + name);
        } else if (sits != l.v2->own && sits.rfind(l.v2->own + "/", 0) != 0) {
            // The common-ancestor rule again: from outside its delegation a user cannot move
            // a process into it.
            return error(
                "cgroup2: the caller sits in \"", sits, "\", outside its delegation \"", l.v2->own,
                "\", and cannot move processes into it; start from a session "
                "inside it, or from a cgroup of the caller's own (systemd's user@.service)");
        }
    }
    for (size_t i = 0; i < l.v1.size();) {
        if (delegate(l.v1[i], name)) {
            ++i;
            continue;
        }
        // A named hierarchy (name=systemd) carries no controller: not needed.
        if (!named_only(l.v1[i])) missing.push_back(l.v1[i].mountpoint + "/" + name);
        l.v1.erase(l.v1.begin() + static_cast<long>(i));
    }
    if (missing.empty()) return {};
    std::string who = sysconf::user_name(::geteuid());
    if (who.empty()) who = std::to_string(::geteuid());
    return error("no cgroup delegated to ", who, " (\"", missing.front(),
                 "\" is missing or not theirs): as root, run `cnt-delegate ", who, "` once");
}

}  // namespace cnt::cgroup
