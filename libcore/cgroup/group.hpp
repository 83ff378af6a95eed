// The one Group implementation: a container's directories in every mounted hierarchy (v1
// controllers and/or the v2 tree). Backends differ only in which directories exist, so the
// freezer, kill and device paths pick the hierarchy that has the feature.
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

class FsGroup final : public Group {
  public:
    explicit FsGroup(std::string kind) : kind_(std::move(kind)) {}
    ~FsGroup() override = default;

    Result<void> complete(const config::CgroupSettings& s) override;
    Result<void> apply(const config::CgroupSettings& s) override;
    Result<SelfJoin> self_join() const override;
    int clone_fd() const override;
    Result<void> freeze(std::chrono::milliseconds timeout) override;
    Result<void> thaw(std::chrono::milliseconds timeout) override;
    Result<FreezerState> freezer_state() const override;
    Result<std::vector<pid_t>> pids() const override;
    Result<void> kill_all() override;
    bool surely_empty() const override;
    Result<Stats> stats() const override;
    Result<void> destroy() override;
    store::KeyValues save() const override;
    std::vector<Placement> placements() const override;

    // leftovers: what a stop left behind; directories already gone are skipped, not errors.
    static Result<std::unique_ptr<FsGroup>> open(const store::KeyValues& saved,
                                                 bool leftovers = false);
    // The cgroup2 directory and its inner one (when the host has cgroup2); complete() makes
    // the v1 ones. rel: the container's cgroup below the caller's; inner: the name of the
    // directory below it that its processes live in.
    static Result<std::unique_ptr<FsGroup>> make(const Layout& l, const std::string& rel,
                                                 const std::string& inner, bool relative);

  private:
    const Dir* v1(std::string_view ctrl) const;
    Result<void> make_v1_outer(const Hierarchy& h);
    Result<void> make_v1_inner();
    Result<void> v2_freeze(bool on, std::chrono::milliseconds timeout);
    Result<void> v1_freeze(const Dir& d, bool on, std::chrono::milliseconds timeout);
    Result<void> write_entry(const Dir& d, const std::string& file, const std::string& value,
                             const std::string& key, const config::Location& where);

    std::string kind_;
    std::vector<Dir> v1_;
    std::optional<Dir> v2_;
    mutable unique_fd v2fd_;              // the container's cgroup2 directory
    unique_fd v2in_;                      // its inner one, init's and attach's clone3 target
    std::vector<std::string> stale_;      // tops whose leaf is gone already (leftovers only)
    std::vector<std::string> v1_mounts_;  // mountpoint of v1_[i]'s hierarchy (make() only)
    std::string v2_mount_;
    std::vector<Hierarchy> pending_;  // v1 hierarchies complete() is still to make (make() only)
    std::string rel_;                 // the container's directory below the caller's, in each
    std::string inner_;               // the inner directory's name ("": a state saved without)
};

}  // namespace cnt::cgroup
