// What a Group holds: the container's directories in every mounted hierarchy (v1 controllers
// and/or the v2 tree) and descriptors of its cgroup2 ones. Hosts differ only in which
// directories exist, so the freezer, kill and device paths pick the hierarchy that has the
// feature.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "cgroup/layout.hpp"
#include "cgroup/self_join.hpp"
#include "cnt/cgroup.hpp"
#include "cnt/fd.hpp"

namespace cnt::cgroup {

struct Dir {
    std::vector<std::string> controllers;  // empty for v2
    std::string path;   // the container's cgroup: limits, device rules, freezer, accounting
    std::string inner;  // where its processes live (path/<inner name>; path in an old state)
    std::string top;    // the topmost directory we made ("" = none)
    bool has(std::string_view c) const;
    std::string label() const;
};

struct Group::Dirs {
    std::string kind;
    std::vector<Dir> v1;
    std::optional<Dir> v2;
    unique_fd v2fd;                      // the container's cgroup2 directory
    unique_fd v2in;                      // its inner one, init's and attach's clone3 target
    std::vector<std::string> stale;      // tops whose leaf is gone already (leftovers only)
    std::vector<std::string> v1_mounts;  // mountpoint of v1[i]'s hierarchy (make() only)
    std::string v2_mount;
    std::vector<Hierarchy> pending;  // v1 hierarchies complete() is still to make (make() only)
    std::string rel;                 // the container's directory below the caller's, in each
    std::string inner;               // the inner directory's name ("": a state saved without)

    // leftovers: what a stop left behind; directories already gone are skipped, not errors.
    static Result<Group> open(const Saved& saved, bool leftovers = false);
    Result<void> open_v2(const Saved& saved, const std::string& inner_dir, bool leftovers);
    // The cgroup2 directory and its inner one (when the host has cgroup2); complete() makes
    // the v1 ones. rel: the container's cgroup below the caller's; inner: the name of the
    // directory below it that its processes live in.
    static Result<Group> make(const Layout& l, const std::string& rel, const std::string& inner,
                              bool relative);

    const Dir* v1_for(std::string_view ctrl) const;
    Result<void> make_v1_outer(const Hierarchy& h);
    Result<void> make_v1_inner();
    Result<void> v2_freeze(bool on, std::chrono::milliseconds timeout);
    Result<void> v1_freeze(const Dir& d, bool on, std::chrono::milliseconds timeout);
};

}  // namespace cnt::cgroup
