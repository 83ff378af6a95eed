// Where the cgroup hierarchies are mounted and where the calling process sits in each.
// Pure parsing (unit-tested with sample texts) plus one probe of /proc/self.
#pragma once
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include "cnt/error.hpp"

namespace cnt::cgroup {

struct Hierarchy {
    bool v2 = false;
    std::vector<std::string> controllers;  // v1: "cpu", "cpuacct", "name=systemd"; v2: empty here
    std::string mountpoint;                // "/sys/fs/cgroup/memory"
    std::string root;                      // the mount's root inside the hierarchy ("/" usually)
    std::string own;                       // the caller's cgroup, as in /proc/self/cgroup
    // The caller's cgroup as a directory: mountpoint + own with the mount root stripped.
    std::string own_dir() const;
    bool has(std::string_view ctrl) const;
    std::string label() const;  // "memory", "cpu,cpuacct", "unified"
};

struct Layout {
    std::vector<Hierarchy> v1;
    std::optional<Hierarchy> v2;
    std::string_view kind() const;  // "v1", "v2", "hybrid", "none"
    const Hierarchy* v1_for(std::string_view ctrl) const;
};

// One mountinfo line's fields that matter here, with \ooo escapes decoded.
struct MountLine {
    std::string dev, root, mountpoint, opts, fstype, superopts;  // dev "0:28"; opts "rw,nosuid"
};
std::optional<MountLine> parse_mountinfo_line(std::string_view line);

// The cgroup mounts of a /proc/PID/mountinfo text (first mount of each hierarchy wins).
Layout parse_mountinfo(std::string_view text);
// Fill Hierarchy::own from a /proc/PID/cgroup text. Hierarchies the process is not in
// (not listed) keep own empty and are dropped.
void assign_own(Layout& l, std::string_view proc_cgroup);

// mountinfo + /proc/self/cgroup of the calling process. As root, when no cgroup filesystem is
// mounted here but init's mount namespace has some (`ip netns exec` mounts a fresh /sys over
// /sys/fs/cgroup), the process first moves to a mount namespace of its own where the host's
// hierarchies are mounted again at their usual places (reach_host_hierarchies).
Result<Layout> probe();

// The mountinfo lines of `init_mountinfo` to mount again so that its cgroup hierarchies appear
// at the same paths: every cgroup and cgroup2 mount, and the mounts (a tmpfs at
// /sys/fs/cgroup) holding their mount points, in mount order. Empty when a hierarchy is
// mounted from below its root (a nested host: the same path would show another directory).
std::vector<MountLine> host_hierarchy_mounts(std::string_view init_mountinfo);
// Unshare the mount namespace (slave of the current one: nothing leaks back) and mount them.
// false: there is nothing to mount (no cgroup in init's namespace, or another root).
Result<bool> reach_host_hierarchies();

// For a caller that is not root (cgroup/delegation.cpp): every hierarchy's `own` becomes the
// subtree `cnt-delegate USER` made for it, cnt.user.<UID> at the hierarchy's root (on a pure
// cgroup2 host the caller's own cgroup when the caller owns it). On a hybrid host the cgroup2
// tree is dropped (the "common ancestor" rule: see the file). An error that says how to get a
// delegation when one is missing.
Result<void> use_delegation(Layout& l);
std::string delegation_name();  // "cnt.user.<euid>"

}  // namespace cnt::cgroup
