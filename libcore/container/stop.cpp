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
#include "commands/commands.hpp"

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

// One stop of a running container, as a sequence of steps: open init and the monitor, see
// to the phys devices, signal (reboot, halt, kill), then wait for the monitor's teardown or
// clean up what it left.
class Stop {
  public:
    Stop(const Container& c, const store::Paths& p, const StopOptions& o, RunState rs)
        : c_(c), paths_(p), o_(o), rs_(std::move(rs)) {}

    Result<StopOutcome> run() {
        CNT_ASSIGN(init_alive, open_init());
        if (!init_alive) return StopOutcome::not_running;
        veths_.emplace(rs_, o_);
        if (monitor_alive_) monfd_ = pidfd_open(rs_.monitor_pid);
        see_to_phys();
        sigs_ = signals();
        // Registered before init is signalled, so the monitor has it before its teardown.
        if (monfd_ && !o_.reboot && !o_.nowait) teardown_ = commands::watch_teardown(paths_);
        if (o_.reboot) return reboot();
        if (!o_.kill) {
            CNT_ASSIGN(ended, halt());
            if (ended) return *ended;
        }
        if (!gone_) CNT_TRY(kill());
        return finish();
    }

  private:
    // Opened first, then checked: the recorded pid may have been reused by another process
    // by now (its start time tells), and once opened it cannot be reused under us. false:
    // init is gone (and what it left is removed when its monitor is gone too).
    Result<bool> open_init() {
        pidfd_ = rs_.init_pid > 0 ? pidfd_open(rs_.init_pid) : unique_fd();
        if (!pidfd_ && rs_.init_pid > 0 && errno != ESRCH)
            return sys_error(cat("opening init (pid ", rs_.init_pid, ")"));
        CNT_ASSIGN(init_alive,
                   pidfd_ ? runstate::alive(rs_.init_pid, rs_.init_start, "init") : false);
        CNT_ASSIGN(mon, runstate::alive(rs_.monitor_pid, rs_.monitor_start, "the monitor"));
        monitor_alive_ = mon;
        if (!init_alive && !monitor_alive_) CNT_TRY(cleanup(paths_, rs_));
        return init_alive;
    }

    void see_to_phys() {
        if (rs_.net.empty() || o_.reboot) return;
        // No monitor to give phys devices back: do it while init's netns still exists (a
        // device whose netns dies is destroyed or lands in the init netns under its inner
        // name).
        if (!monfd_) {
            if (auto r = net::teardown(net::Attached::load(rs_.net), rs_.init_pid); !r)
                log::warn(r.error().message());
            rs_.net.clear();
            (void)runstate::write(paths_, rs_);
            return;
        }
        // With a monitor, it gives them back from the netns it holds. But a monitor killed a
        // moment ago can still look alive (it is exiting), or be killed during this stop:
        // hold init's netns here too, so that when the monitor ends without its teardown,
        // cleanup can give them back before the netns dies.
        held_ = net::Attached::load(rs_.net);
        if (held_->phys.empty() || !net::hold_netns(*held_, rs_.init_pid)) held_.reset();
    }

    // Signals come from the config on disk (as lxc-stop: -s given to start are not seen).
    config::Signals signals() const {
        auto cfg = c_.load_config(rs_.config_file == paths_.config() ? "" : rs_.config_file);
        return cfg ? cfg->signals : config::Signals{};
    }

    int timeout_ms() const {
        auto t = o_.timeout.count();
        return t < 0 ? -1 : static_cast<int>(t * 1000);
    }

    // Rebooted = the monitor runs a new init (LXC's observable result).
    Result<StopOutcome> reboot() {
        int sig = sigs_.reboot ? sigs_.reboot : SIGINT;
        if (pidfd_signal(pidfd_, sig) != 0) return sys_error("sending the reboot signal");
        if (o_.nowait) return StopOutcome::signalled;
        int ms = timeout_ms();
        CNT_ASSIGN(exited, wait_exit(pidfd_.get(), ms));
        if (!exited) return error("init did not exit after the reboot signal");
        for (int waited = 0; ms < 0 || waited < ms; waited += 50) {
            auto now = c_.run_state();
            if (now && now->init_pid != rs_.init_pid && now->init_alive())
                return StopOutcome::rebooted;
            if (!monfd_ || wait_exit(monfd_.get(), 0, "the monitor").value_or(true))
                return error("the container did not come back after reboot");
            ::usleep(50000);
        }
        return error("timed out waiting for the container to reboot");
    }

    // The halt signal and the wait for init: an outcome when the stop ends here (-W, or
    // --nokill after the timeout); gone_ says whether init exited.
    Result<std::optional<StopOutcome>> halt() {
        int sig = sigs_.halt ? sigs_.halt : default_halt(rs_.init_pid);
        log::info("sending signal ", sig, " to init ", rs_.init_pid);
        if (pidfd_signal(pidfd_, sig) != 0 && errno != ESRCH)
            return sys_error("sending the halt signal");
        if (o_.nowait) return StopOutcome::signalled;
        CNT_ASSIGN(exited, wait_exit(pidfd_.get(), timeout_ms()));
        gone_ = exited;
        if (!gone_ && o_.nokill) return StopOutcome::timed_out;
        return std::nullopt;
    }

    Result<void> kill() {
        int sig = sigs_.stop ? sigs_.stop : SIGKILL;
        pidfd_signal(pidfd_, sig);
        // SIGKILL ends init and, with it, its pid namespace; the monitor's teardown (or
        // cleanup) kills whatever else sits in the cgroups. Only a v1 freezer (the
        // container's, or a sub-cgroup it froze) keeps SIGKILL from acting, and a big
        // namespace takes a while to end: if init is still there after a moment, kill_all
        // thaws and kills everything. Another lxc.signal.stop: everything is killed through
        // the cgroups at once, as -k promises.
        if (!rs_.cgroup.empty() && (sig != SIGKILL || !wait_exit(pidfd_.get(), 10).value_or(false)))
            if (auto g = cgroup::Group::reopen(rs_.cgroup)) (void)g->kill_all();
        // SIGKILL cannot be blocked; init outlives it only when stuck in the kernel (an
        // uninterruptible wait, a freezer that could not be thawed): report that, do not hang.
        CNT_ASSIGN(killed, wait_exit(pidfd_.get(), 30000));
        if (!killed) return error("init (pid ", rs_.init_pid, ") still runs 30 s after SIGKILL");
        return {};
    }

    // The monitor reaps init and tears everything down; wait for it (the end of its
    // teardown, or its exit), or do it here.
    Result<StopOutcome> finish() {
        auto end = commands::Teardown::ended;
        if (teardown_) {
            end = commands::await_teardown(teardown_.get(), monfd_.get(), 30000);
        } else if (monfd_) {
            CNT_ASSIGN(ended, wait_exit(monfd_.get(), 30000, "the monitor"));
            if (!ended) end = commands::Teardown::timed_out;
        }
        if (end == commands::Teardown::timed_out)
            log::warn("the monitor did not finish its cleanup");
        // It said it removed the cgroups and the run state: nothing to look for.
        if (end != commands::Teardown::clean) {
            // (what the monitor could not remove; the state file, if left, goes with cleanup)
            ::unlink(paths_.socket().c_str());
            if (auto now = c_.run_state(); now && now->init_pid == rs_.init_pid)
                CNT_TRY(cleanup(paths_, *now, held_ ? &*held_ : nullptr));
            // Whatever else the monitor managed (it only logs its failures), the container is
            // stopped only when nothing of it is left in the cgroups it recorded.
            CNT_TRY(cgroup::remove_leftovers(rs_.cgroup));
        }
        veths_->finish();
        return StopOutcome::stopped;
    }

    const Container& c_;
    const store::Paths& paths_;
    const StopOptions& o_;
    RunState rs_;
    unique_fd pidfd_, monfd_, teardown_;
    bool monitor_alive_ = false, gone_ = false;
    std::optional<VethWait> veths_;
    std::optional<net::Attached> held_;
    config::Signals sigs_;
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
    if (!*read) return StopOutcome::not_running;
    return Stop(*this, paths_, o, std::move(**read)).run();
}

}  // namespace cnt
