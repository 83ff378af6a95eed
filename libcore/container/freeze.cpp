// Container::freeze / unfreeze / stats: everything they need is in the run state (the cgroup
// paths saved by the monitor), so no config is parsed on this path.
#include "cnt/cgroup.hpp"
#include "cnt/container.hpp"

namespace cnt {
namespace {

// The running container's state and reopened cgroup; nullopt state when not running.
struct Running {
    RunState state;
    std::unique_ptr<cgroup::Group> group;
};

Result<std::optional<Running>> running(const store::Paths& p) {
    CNT_ASSIGN(st, runstate::read(p));
    if (!st || st->state == State::stopped || !st->init_alive()) return std::optional<Running>{};
    CNT_ASSIGN(drv, cgroup::Driver::get());
    CNT_ASSIGN(g, drv->open(st->cgroup));
    return std::optional<Running>(Running{std::move(*st), std::move(g)});
}

// Record the new state, re-reading the file first: the monitor may have rewritten it (or the
// container stopped) while we waited on the kernel, and a stopped container must not come back.
Result<void> record(const store::Paths& p, const RunState& before, State now) {
    CNT_ASSIGN(st, runstate::read(p));
    if (!st || st->init_pid != before.init_pid || st->init_start != before.init_start) return {};
    if (st->state == State::stopping || st->state == State::stopped || st->state == State::aborting)
        return {};
    st->state = now;
    return runstate::write(p, *st);
}

}  // namespace

Result<void> Container::freeze(std::chrono::milliseconds timeout) {
    CNT_ASSIGN(r, running(paths_));
    if (!r) return error(name(), " is not running");
    if (r->state.state == State::frozen) return {};
    if (auto f = r->group->freeze(timeout); !f) return std::unexpected(std::move(f.error()));
    return record(paths_, r->state, State::frozen);
}

Result<void> Container::unfreeze(std::chrono::milliseconds timeout) {
    CNT_ASSIGN(r, running(paths_));
    // LXC: thawing a container that is not running is not an error.
    if (!r) return {};
    // Thaw even when the state file says RUNNING: the cgroup may have been frozen by hand.
    if (auto t = r->group->thaw(timeout); !t) return std::unexpected(std::move(t.error()));
    if (r->state.state == State::frozen || r->state.state == State::freezing ||
        r->state.state == State::thawed)
        return record(paths_, r->state, State::running);
    return {};
}

Result<cgroup::Stats> Container::stats() const {
    CNT_ASSIGN(r, running(paths_));
    if (!r) return error(name(), " is not running");
    return r->group->stats();
}

}  // namespace cnt
