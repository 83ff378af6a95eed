// Container::stop: halt signal to init, wait on its pidfd, then kill; works without the
// monitor (the run-state file and the cgroup are enough).
#include <poll.h>
#include <signal.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>

#include "cnt/container.hpp"
#include "cnt/log.hpp"
#include "cnt/net.hpp"
#include "cnt/pidfd.hpp"
#include "cnt/store.hpp"
#include "cnt/text.hpp"
#include "monitor/monitor.hpp"

namespace cnt {

namespace {

// true when the process behind pidfd (`who`) exited within ms (-1 = forever). A wait that
// fails is an error of its own, never taken for a timeout; ENOMEM passes (a few retries).
Result<bool> wait_exit(int pidfd, int ms, const char* who = "init") {
    pollfd p{pidfd, POLLIN, 0};
    for (int tries = 0;; ++tries) {
        int r = ::poll(&p, 1, ms);
        if (r >= 0) return r > 0;
        if (errno == EINTR) continue;
        if (errno == ENOMEM && tries < 100) {
            ::usleep(1000);
            continue;
        }
        return sys_error(cat("waiting for ", who, " to exit (poll)"));
    }
}

// systemd blocks SIGRTMIN+3 until it is ready to handle it as its halt request; any other
// init is asked with SIGPWR (LXC's rule).
int default_halt(pid_t pid) {
    auto status = store::read_file(cat("/proc/", pid, "/status"));
    if (!status) return SIGPWR;
    for (auto line : split(*status, "\n"))
        if (line.starts_with("SigBlk:")) {
            unsigned long long mask =
                std::strtoull(std::string(line.substr(7)).c_str(), nullptr, 16);
            int sig = SIGRTMIN + 3;
            if (mask & (1ULL << (sig - 1))) return sig;
        }
    return SIGPWR;
}

// Remove what a dead container left when no monitor did it. The cgroups go last and their
// failure is the result: a cgroup that cannot be emptied means processes are still running.
// `held`: the phys devices with the netns this stop kept open, when it did.
Result<void> cleanup(const store::Paths& p, const RunState& rs,
                     const net::Attached* held = nullptr) {
    if (held)
        (void)net::teardown(*held, 0);
    else if (!rs.net.empty())
        (void)net::teardown(net::Attached::load(rs.net), 0);
    ::unlink(p.socket().c_str());
    runstate::remove(p);
    return cgroup::remove_leftovers(rs.cgroup);
}

// The host ends of the container's veths go with its netns, which the kernel tears down
// after init exits, asynchronously: stop returns only once they are gone (bounded), so a
// bridge keeps no stale port and a restart can take a fixed lxc.net.N.veth.pair at once.
// Subscribed to link events before init is killed, so no deletion is missed.
class VethWait {
  public:
    VethWait(const RunState& rs, const StopOptions& o) {
        if (rs.net.empty() || o.reboot || o.nowait) return;
        names_ = net::Attached::load(rs.net).veth_host;
        if (names_.empty()) return;
        if (auto w = net::LinkWatch::open())
            watch_ = std::move(*w);
        else
            log::warn(w.error().message());
    }
    void finish() {
        if (!watch_) return;
        auto left = watch_->wait_gone(names_, 5000);
        if (!left)
            log::warn("waiting for the host veths to go: ", left.error().message());
        else if (!left->empty())
            log::warn("host veth \"", left->front(), "\" still there 5 s after stop");
        watch_.reset();
    }

  private:
    std::vector<std::string> names_;
    std::optional<net::LinkWatch> watch_;
};

}  // namespace

Result<StopOutcome> Container::stop(const StopOptions& o) {
    // Nothing is made (no run dir, no lock file) for a container that is neither defined nor
    // running (a container started with -f may have no directory).
    if (!present() && !run_state()) return StopOutcome::not_running;
    // Bounded by -t (at least a second, for another tool's short hold): a start that hangs
    // (in a hook, say) holds the lock.
    const auto bound =
        o.timeout.count() < 0 ? o.timeout : std::max(o.timeout, std::chrono::seconds(1));
    CNT_ASSIGN(lock, store::Lock::acquire(paths_, store::Lock::Mode::wait, bound));
    auto read = runstate::read(paths_);
    if (!read) return stop_unreadable(std::move(read.error()), o);
    auto rs = std::move(*read);
    if (!rs) return StopOutcome::not_running;
    // Opened first, then checked: the recorded pid may have been reused by another process
    // by now (its start time tells), and once opened it cannot be reused under us.
    unique_fd pidfd = rs->init_pid > 0 ? pidfd_open(rs->init_pid) : unique_fd();
    if (!pidfd && rs->init_pid > 0 && errno != ESRCH)
        return sys_error(cat("opening init (pid ", rs->init_pid, ")"));
    CNT_ASSIGN(init_alive, pidfd ? runstate::alive(rs->init_pid, rs->init_start, "init") : false);
    CNT_ASSIGN(monitor_alive, runstate::alive(rs->monitor_pid, rs->monitor_start, "the monitor"));
    if (!init_alive) {
        if (!monitor_alive) CNT_TRY(cleanup(paths_, *rs));
        return StopOutcome::not_running;
    }
    VethWait veths(*rs, o);
    unique_fd monfd, teardown;
    if (monitor_alive) monfd = pidfd_open(rs->monitor_pid);
    // No monitor to give phys devices back: do it while init's netns still exists (a device
    // whose netns dies is destroyed or lands in the init netns under its inner name).
    if (!monfd && !rs->net.empty() && !o.reboot) {
        if (auto r = net::teardown(net::Attached::load(rs->net), rs->init_pid); !r)
            log::warn(r.error().message());
        rs->net.clear();
        (void)runstate::write(paths_, *rs);
    }
    // With a monitor, it gives them back from the netns it holds. But a monitor killed a
    // moment ago can still look alive (it is exiting), or be killed during this stop: hold
    // init's netns here too, so that when the monitor ends without its teardown, cleanup
    // below can give them back before the netns dies.
    std::optional<net::Attached> held;
    if (monfd && !rs->net.empty() && !o.reboot) {
        held = net::Attached::load(rs->net);
        if (held->phys.empty() || !net::hold_netns(*held, rs->init_pid)) held.reset();
    }

    // Signals come from the config on disk (as lxc-stop: -s given to start are not seen).
    config::Signals sigs;
    if (auto cfg = load_config(rs->config_file == paths_.config() ? "" : rs->config_file))
        sigs = cfg->signals;

    bool gone = false;
    // Registered before init is signalled, so the monitor has it before the teardown starts.
    if (monfd && !o.reboot && !o.nowait) teardown = monitor::watch_teardown(paths_);
    if (o.reboot) {
        int sig = sigs.reboot ? sigs.reboot : SIGINT;
        if (pidfd_signal(pidfd.get(), sig) != 0) return sys_error("sending the reboot signal");
        if (o.nowait) return StopOutcome::signalled;
        // Rebooted = the monitor runs a new init (LXC's observable result).
        auto t = o.timeout.count();
        int ms = t < 0 ? -1 : static_cast<int>(t * 1000);
        CNT_ASSIGN(exited, wait_exit(pidfd.get(), ms));
        if (!exited) return error("init did not exit after the reboot signal");
        for (int waited = 0; ms < 0 || waited < ms; waited += 50) {
            auto now = run_state();
            if (now && now->init_pid != rs->init_pid && now->init_alive())
                return StopOutcome::rebooted;
            if (!monfd || wait_exit(monfd.get(), 0, "the monitor").value_or(true))
                return error("the container did not come back after reboot");
            ::usleep(50000);
        }
        return error("timed out waiting for the container to reboot");
    }
    if (!o.kill) {
        int sig = sigs.halt ? sigs.halt : default_halt(rs->init_pid);
        log::info("sending signal ", sig, " to init ", rs->init_pid);
        if (pidfd_signal(pidfd.get(), sig) != 0 && errno != ESRCH)
            return sys_error("sending the halt signal");
        if (o.nowait) return StopOutcome::signalled;
        auto t = o.timeout.count();
        CNT_ASSIGN(exited, wait_exit(pidfd.get(), t < 0 ? -1 : static_cast<int>(t * 1000)));
        gone = exited;
        if (!gone && o.nokill) return StopOutcome::timed_out;
    }
    if (!gone) {
        int sig = sigs.stop ? sigs.stop : SIGKILL;
        pidfd_signal(pidfd.get(), sig);
        // SIGKILL ends init and, with it, its pid namespace; the monitor's teardown (or
        // cleanup below) kills whatever else sits in the cgroups. Only a v1 freezer (the
        // container's, or a sub-cgroup it froze) keeps SIGKILL from acting, and a big
        // namespace takes a while to end: if init is still there after a moment, kill_all
        // thaws and kills everything. Another lxc.signal.stop: everything is killed through
        // the cgroups at once, as -k promises.
        if (!rs->cgroup.empty() && (sig != SIGKILL || !wait_exit(pidfd.get(), 10).value_or(false)))
            if (auto g = cgroup::Group::reopen(rs->cgroup)) (void)(*g)->kill_all();
        // SIGKILL cannot be blocked; init outlives it only when stuck in the kernel (an
        // uninterruptible wait, a freezer that could not be thawed): report that, do not hang.
        CNT_ASSIGN(killed, wait_exit(pidfd.get(), 30000));
        if (!killed) return error("init (pid ", rs->init_pid, ") still runs 30 s after SIGKILL");
    }
    // The monitor reaps init and tears everything down; wait for it (the end of its teardown,
    // or its exit), or do it ourselves.
    auto end = monitor::Teardown::ended;
    if (teardown)
        end = monitor::await_teardown(teardown.get(), monfd.get(), 30000);
    else if (monfd) {
        CNT_ASSIGN(ended, wait_exit(monfd.get(), 30000, "the monitor"));
        if (!ended) end = monitor::Teardown::timed_out;
    }
    if (end == monitor::Teardown::timed_out) log::warn("the monitor did not finish its cleanup");
    // It said it removed the cgroups and the run state: nothing to look for.
    if (end == monitor::Teardown::clean) {
        veths.finish();
        return StopOutcome::stopped;
    }
    // (what the monitor could not remove; the state file, if left, goes with cleanup below)
    ::unlink(paths_.socket().c_str());
    if (auto now = run_state(); now && now->init_pid == rs->init_pid)
        CNT_TRY(cleanup(paths_, *now, held ? &*held : nullptr));
    // Whatever else the monitor managed (it only logs its failures), the container is stopped
    // only when nothing of it is left in the cgroups it recorded.
    CNT_TRY(cgroup::remove_leftovers(rs->cgroup));
    veths.finish();
    return StopOutcome::stopped;
}

}  // namespace cnt
