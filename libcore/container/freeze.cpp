// Container::freeze / unfreeze / stats: everything they need is in the run state (the cgroup
// paths saved by the monitor), so no config is parsed on this path.
#include <fcntl.h>
#include <sys/stat.h>

#include "cnt/cgroup.hpp"
#include "cnt/container.hpp"

namespace cnt {
namespace {

// The running container's reopened cgroup; none when it is not running.
Result<std::optional<cgroup::Group>> running(const store::Paths& p) {
    CNT_ASSIGN(st, runstate::read(p));
    if (!st || st->state == State::stopped) return std::nullopt;
    CNT_ASSIGN(alive, runstate::alive(st->init_pid, st->init_start, "init"));
    if (!alive) return std::nullopt;
    CNT_ASSIGN(g, cgroup::Group::reopen(st->cgroup));
    return std::optional<cgroup::Group>(std::move(g));
}

// The state file is not rewritten: FROZEN is read from the cgroup itself (Container::state),
// which stays right when the cgroup is frozen by hand. Touching the file (IN_ATTRIB, no data
// written) wakes cnt-wait and cnt-monitor; a rewrite cost a rename that ext4 flushes.
void notify(const store::Paths& p) {
    (void)::utimensat(AT_FDCWD, p.state_file().c_str(), nullptr, 0);
}

}  // namespace

Result<void> Container::freeze(std::chrono::milliseconds timeout) {
    // Under the container's lock, as every mutating tool: a start holds it until init has
    // exec'd, and an init frozen before that would never answer its monitor. (unfreeze takes
    // no lock: thawing is always safe, and it must work while a start waits on a frozen init.)
    if (!present() && !run_state()) return std::unexpected(Error{0, "is not running", name()});
    CNT_ASSIGN(lock, store::Lock::acquire(paths_));
    CNT_ASSIGN(g, running(paths_));
    if (!g) return std::unexpected(Error{0, "is not running", name()});
    if (auto f = g->freeze(timeout); !f) return std::unexpected(std::move(f.error()));
    notify(paths_);
    return {};
}

Result<void> Container::unfreeze(std::chrono::milliseconds timeout) {
    CNT_ASSIGN(g, running(paths_));
    // LXC: thawing a container that is not running is not an error.
    if (!g) return {};
    // Thaw even when it does not look frozen: a v1 sub-cgroup may be.
    if (auto t = g->thaw(timeout); !t) return std::unexpected(std::move(t.error()));
    notify(paths_);
    return {};
}

Result<cgroup::Stats> Container::stats() const {
    CNT_ASSIGN(g, running(paths_));
    if (!g) return std::unexpected(Error{0, "is not running", name()});
    return g->stats();
}

}  // namespace cnt
