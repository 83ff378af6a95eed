// Container::stop when the run-state file cannot be used: corrupt, cut short, replaced by a
// FIFO. The pids it recorded are lost, but not the container: its cgroups are where its
// config puts them, and with -k everything in them is killed and they are removed, with the
// file and the command socket. A live monitor is waited for, as stop() does.
#include <unistd.h>

#include "cnt/cgroup.hpp"
#include "cnt/container.hpp"
#include "cnt/log.hpp"
#include "commands/commands.hpp"

namespace cnt {

Result<StopOutcome> Container::stop_unreadable(Error why, const StopOptions& o) {
    if (!o.kill) {
        why.step += "; cnt-stop -k kills the container through its cgroups and removes the file";
        return std::unexpected(std::move(why));
    }
    config::CgroupSettings settings;
    if (auto cfg = load_config()) settings = cfg->cgroup;
    CNT_ASSIGN(saved, cgroup::find_saved(name(), settings));
    log::warn(why.message(), saved.empty() ? "; no cgroup of the container found, removing the file"
                                           : "; killing everything in the container's cgroups");
    // A live monitor tears down (and says when it is done) once init is killed: watched
    // first, then waited for, as stop() does.
    unique_fd teardown = saved.empty() ? unique_fd() : commands::watch_teardown(paths_);
    if (!saved.empty())
        if (auto g = cgroup::Group::reopen(saved)) (void)g->kill_all();
    if (teardown &&
        commands::await_teardown(teardown.get(), -1, 30000) == commands::Teardown::timed_out)
        log::warn("the monitor did not finish its cleanup");
    CNT_TRY(cgroup::remove_leftovers(saved));
    ::unlink(paths_.socket().c_str());
    runstate::remove(paths_);
    return saved.empty() ? StopOutcome::not_running : StopOutcome::stopped;
}

}  // namespace cnt
