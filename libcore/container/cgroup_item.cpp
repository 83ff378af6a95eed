// Container::cgroup_get / cgroup_set (cnt-cgroup): the running container's cgroup directories
// come from its run state, as for freeze; no config is parsed.
#include "cgroup/item.hpp"
#include "cnt/cgroup.hpp"
#include "cnt/container.hpp"

namespace cnt {
namespace {

Result<cgroup::Saved> running_cgroup(const store::Paths& p, const std::string& name) {
    CNT_ASSIGN(st, runstate::read(p));
    if (!st || st->state == State::stopped)
        return std::unexpected(Error{0, "is not running", name});
    CNT_ASSIGN(alive, runstate::alive(st->init_pid, st->init_start, "init"));
    if (!alive) return std::unexpected(Error{0, "is not running", name});
    return st->cgroup;
}

}  // namespace

Result<std::string> Container::cgroup_get(const std::string& key) const {
    CNT_ASSIGN(saved, running_cgroup(paths_, name()));
    return cgroup::read_item(cgroup::saved_dirs(saved), key);
}

Result<void> Container::cgroup_set(const std::string& key, const std::string& value) {
    CNT_ASSIGN(lock, store::Lock::acquire(paths_));
    CNT_ASSIGN(saved, running_cgroup(paths_, name()));
    CNT_ASSIGN(settings, cgroup::item_settings(cgroup::saved_dirs(saved), key, value));
    CNT_ASSIGN(g, cgroup::Group::reopen(saved));
    return g.apply(settings);
}

}  // namespace cnt
