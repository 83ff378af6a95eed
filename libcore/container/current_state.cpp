// What a container is doing now: from the run-state file, checked against the live process
// and the cgroup (so it is right even when the monitor is gone).
#include <sys/stat.h>

#include "cnt/container.hpp"

namespace cnt {

bool Container::present() const {
    struct stat st {};
    return ::stat(paths_.dir().c_str(), &st) == 0;
}

std::optional<RunState> Container::run_state() const {
    auto r = runstate::read(paths_);
    if (!r || !*r) return std::nullopt;
    return **r;
}

Result<std::optional<RunState>> Container::read_run_state() const { return runstate::read(paths_); }

State Container::state() const { return state_of(run_state()); }

State Container::state_of(const std::optional<RunState>& rs) {
    if (!rs) return State::stopped;
    // Written by the monitor before init exists; a monitor that died while starting leaves
    // a stopped container.
    if (rs->state == State::starting) return rs->monitor_alive() ? State::starting : State::stopped;
    if (!rs->init_alive()) return State::stopped;
    if (!rs->cgroup.empty())
        if (auto g = cgroup::Group::reopen(rs->cgroup))
            if (auto f = g->freezer_state()) {
                if (*f == cgroup::FreezerState::frozen) return State::frozen;
                if (*f == cgroup::FreezerState::freezing) return State::freezing;
            }
    return rs->state == State::stopped ? State::running : rs->state;
}

pid_t Container::init_pid() const {
    auto rs = run_state();
    if (!rs || !rs->init_alive()) return 0;
    return rs->init_pid;
}

Result<std::vector<pid_t>> Container::processes() const {
    auto rs = run_state();
    if (!rs || !rs->init_alive()) return std::vector<pid_t>{};
    if (!rs->cgroup.empty()) {
        CNT_ASSIGN(g, cgroup::Group::reopen(rs->cgroup));
        return g.pids();
    }
    return std::vector<pid_t>{rs->init_pid};
}

}  // namespace cnt
