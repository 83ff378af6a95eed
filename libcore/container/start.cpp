// Container::start: validate, lock, start the monitor (ourselves with -F; with -d a process
// that takes over our memory, or a fork); the monitor builds the container, supervises init,
// serves the command socket and tears everything down when init exits.
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <sstream>

#include "base/fd_util.hpp"
#include "base/signal_fd.hpp"
#include "cnt/container.hpp"
#include "cnt/log.hpp"
#include "cnt/net.hpp"
#include "cnt/pidfd.hpp"
#include "cnt/scope.hpp"
#include "cnt/sealed.hpp"
#include "cnt/sysconf.hpp"
#include "commands/commands.hpp"
#include "container/start_internal.hpp"
#include "container/user.hpp"
#include "dev/dev.hpp"
#include "ns/ns.hpp"
#include "ns/share.hpp"
#include "ns/userns.hpp"
#include "proc/process_name.hpp"
#include "proc/shared_mm.hpp"
#include "pty/pty.hpp"
#include "rootfs/idmapped.hpp"
#include "rootfs/rootfs.hpp"

namespace cnt {

namespace {

struct Session {
    store::Paths paths;
    config::Config cfg;
    StartOptions opts;
    std::string config_file;
    std::vector<std::string> argv;
    unsigned long long monitor_start = 0;  // the monitor's start time, when already read
    rootfs::Store store;                   // lxc.rootfs.path's backing store, parsed once
};

// lxc.init.cmd / lxc.execute.cmd: words split on blanks, '...' and "..." group (as LXC's
// quoted split), a backslash outside single quotes escapes the next character.
std::vector<std::string> split_words(const std::string& s) {
    std::vector<std::string> v;
    std::string w;
    bool in_word = false;
    char quote = 0;
    for (size_t i = 0; i < s.size(); ++i) {
        char ch = s[i];
        if (quote) {
            if (ch == quote)
                quote = 0;
            else if (ch == '\\' && quote == '"' && i + 1 < s.size())
                w += s[++i];
            else
                w += ch;
        } else if (ch == ' ' || ch == '\t' || ch == '\n') {
            if (in_word) v.push_back(std::move(w)), w.clear(), in_word = false;
        } else {
            in_word = true;
            if (ch == '\'' || ch == '"')
                quote = ch;
            else if (ch == '\\' && i + 1 < s.size())
                w += s[++i];
            else
                w += ch;
        }
    }
    if (in_word) v.push_back(std::move(w));
    return v;
}

// A static helper of ours (cnt-init, cnt-exec): next to the tools (build tree), else installed.
std::string find_helper(const std::string& name) {
    std::string p = sysconf::exe_dir() + "/" + name;
    if (::access(p.c_str(), X_OK) == 0) return p;
    p = std::string(CNT_PREFIX) + "/libexec/cnt/" + name;
    if (::access(p.c_str(), X_OK) == 0) return p;
    return {};
}

// What the monitor sends to the waiting cnt-start: "ok" or start::encode_error.
// false when it could not be written (a write that fails wrote nothing: tried again).
bool report(int fd, const Result<void>& r) {
    if (fd < 0) return true;
    std::string m = r ? std::string("ok") : start::encode_error(r.error());
    for (int tries = 0; tries < 10; ++tries)
        if (write_all(fd, m.data(), m.size())) return true;
    return false;
}

// A process's start time (/proc/PID/stat), which tells it from a later one of the same pid:
// the run state is worthless without it (every tool would take the container for stopped).
Result<unsigned long long> start_time_of(pid_t pid, const char* who) {
    errno = 0;
    auto st = store::process_stat(pid);
    if (!st)
        return sys_error(cat("reading the start time of ", who, " (/proc/", pid, "/stat)"),
                         errno ? errno : EIO);
    return st->start;
}

// What one boot of the container makes, built for it and thrown away with it: a reboot
// builds a new one.
struct Boot {
    hooks::Env hook_env;
    ns::Shared shared;
    std::optional<cgroup::Group> group;
    std::unique_ptr<security::Seccomp> seccomp;
    // The filter's BPF program for cnt-attach ("seccomp"), made on first request.
    unique_fd seccomp_bpf;
    pty::Ptys ptys;
    unique_fd console_log;
    net::Attached net;
    pid_t init = 0;
    unique_fd init_pidfd;
    unsigned long long init_start = 0;  // init's /proc/PID/stat start time, for the run state
    bool own_pidns = false;             // init is pid 1 of a namespace made for it (not shared)
    bool exited = false;
    bool reboot = false;  // init was killed by SIGHUP: reboot(2) in its pid namespace
    bool cgroups_left = false;
    unique_fd sock;
    // console clients: which pty (0 console, N tty) each connection holds
    struct Client {
        unique_fd conn;
        int tty;
    };
    std::vector<Client> clients;
    // lxc.hook.stop: init's namespaces, held open so the hook can enter them after init died.
    std::vector<unique_fd> ns_fds;
    std::vector<std::string> stop_hook_args;  // "net:/proc/<monitor>/fd/<n>"...
    Undo undo;  // last: destroyed first, while what its steps remove is still here
};

// What the steps of a boot between the clone and init's exec need to know of it.
struct InitPlan {
    unique_fd sync;  // the monitor's end of the sync socket with init, closed after the boot
    start::InitArgs ia;
    bool idmap_rootfs = false;
    // The host ids of the container's root in a user namespace made for it (none: no such),
    // when the monitor is host root.
    std::optional<std::pair<uid_t, gid_t>> idmap_root;
    bool exec_early = false;
};

struct ConsoleIo;

// The supervisor. Returns when the container has stopped (or failed to start, reported
// through `report_fd` / the result).
class Monitor {
  public:
    Monitor(Session& s, int report_fd, store::Lock* lock)
        : s_(s), report_fd_(report_fd), lock_(lock), foreground_(!s.opts.daemonize) {}
    Result<void> run();
    // init's last wait status in waitpid(2) form (for cnt-execute).
    int raw_status() const { return raw_status_; }

  private:
    Result<void> boot();
    Result<void> mark_starting();
    Result<void> make_cgroup();
    Result<void> make_ptys();
    Result<void> plan_init(InitPlan& p, int sync);
    Result<void> clone_init(InitPlan& p, unique_fd& theirs);
    Result<void> feed_init(InitPlan& p, Undo& net_undo);
    Result<void> setup_net(const InitPlan& p, Undo& net_undo);
    Result<void> go_running();
    Result<void> run_init(const InitPlan& p);
    void keep_ns_for_stop_hook();
    Result<void> first_boot();
    Result<void> reboot();
    void serve();
    void open_console_io(ConsoleIo& io);
    std::vector<pollfd> poll_set(const ConsoleIo& io) const;
    void reap_init();
    void forward_terminal(const std::vector<pollfd>& fds, ConsoleIo& io);
    void drop_console_clients(const std::vector<pollfd>& fds);
    void accept_client();
    void drain_console(int cm);
    void handle_client(int fd);
    void serve_stop(int fd, const std::string& req);
    void add_waiter(int fd);
    void serve_console(int fd, const std::string& req);
    void serve_exe(int fd, std::string_view what);
    void serve_seccomp(int fd);
    Result<void> seal_init_exe();
    void forward_console();
    void teardown();
    void remove_state();
    void left_behind(const char* what);

    Session& s_;
    int report_fd_;
    store::Lock* lock_;
    const bool foreground_;
    std::optional<Boot> b_;  // the current boot
    int raw_status_ = 0;
    unsigned long long monitor_start_ = 0;  // our /proc start time, for the run state
    bool stdin_open_ = true;
    // "wait" connections (cnt-stop): closed when the teardown is over, after "done" when
    // it removed every cgroup.
    std::vector<unique_fd> waiters_;
    // Sealed copies (CVE-2019-5736), made once on first need and kept across reboots: the
    // cnt-attach binary its clients re-exec from ("exe"), and cnt-execute's init.
    unique_fd attach_exe_;
    sealed::FileId attach_exe_id_;
    unique_fd init_exe_;
};

// From the moment the monitor exists until init runs, the run state says STARTING.
Result<void> Monitor::mark_starting() {
    RunState st;
    st.state = State::starting;
    st.monitor_pid = ::getpid();
    if (!s_.monitor_start) {
        CNT_ASSIGN(t, start_time_of(st.monitor_pid, "the monitor"));
        s_.monitor_start = t;
    }
    st.monitor_start = monitor_start_ = s_.monitor_start;
    st.config_file = s_.config_file;
    b_->undo.push([this] { remove_state(); });
    return runstate::write(s_.paths, st);
}

// What the teardown could not remove: logged, and "wait" clients (cnt-stop) are not told
// "done", so that they look for leftovers and remove them themselves.
void Monitor::left_behind(const char* what) {
    log::error("could not remove ", what, " of ", s_.paths.name);
    b_->cgroups_left = true;
}

void Monitor::remove_state() {
    runstate::remove(s_.paths);
    if (::access(s_.paths.state_file().c_str(), F_OK) == 0) left_behind("the state file");
}

// As LXC: one "TYPE:/proc/<monitor pid>/fd/<n>" argument per namespace of the container; the
// descriptors keep the namespaces alive after init is gone.
void Monitor::keep_ns_for_stop_hook() {
    int mask = ns::clone_flags(s_.cfg) | b_->shared.mask();
    for (const auto& k : ns::kinds()) {
        if (!(mask & k.flag)) continue;
        unique_fd fd(::open(cat("/proc/", b_->init, "/ns/", k.name).c_str(), O_RDONLY | O_CLOEXEC));
        if (!fd) {
            log::warn("stop hook: opening the ", k.name,
                      " namespace of init: ", std::strerror(errno));
            continue;
        }
        b_->stop_hook_args.push_back(cat(k.name, ":/proc/", ::getpid(), "/fd/", fd.get()));
        b_->ns_fds.push_back(std::move(fd));
    }
}

hooks::Env hook_env_of(const Session& s) {
    hooks::Env e;
    e.name = s.paths.name;
    e.config_file = s.config_file;
    e.rootfs_mount = rootfs::mount_point(s.cfg);
    e.rootfs_path = rootfs::host_path(s.cfg);
    e.console = s.cfg.console.path.value_or("");
    e.console_log = s.cfg.console.logfile;
    e.log_level = std::string(log::level_name(log::settings().file_level));
    return e;
}

// One boot: each step pushes its own undo onto the boot's, which a failure runs.
Result<void> Monitor::boot() {
    Boot& b = b_.emplace();
    b.hook_env = hook_env_of(s_);
    CNT_TRY(mark_starting());
    // Shared namespaces are resolved before anything is made: a target that is not running
    // fails the start cleanly.
    CNT_ASSIGN(shared, ns::Shared::open(s_.cfg.ns, s_.paths.lxcpath));
    b.shared = std::move(shared);
    CNT_TRY(make_cgroup());
    CNT_TRY(make_ptys());
    CNT_TRY(hooks::run(s_.cfg, config::HookType::pre_start, b.hook_env));
    int sv[2];
    if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0)
        return sys_error("creating the sync socket");
    InitPlan p;
    p.sync.reset(sv[0]);
    unique_fd theirs(sv[1]);
    CNT_TRY(plan_init(p, theirs.get()));
    CNT_TRY(clone_init(p, theirs));
    // Interfaces made for a start that fails are deleted; those of a running container go
    // with its netns when it stops (see net::setup), so this undo is dismissed once it runs.
    Undo net_undo;
    // init runs on until it needs the setup, and may fail first: then these steps fail on a
    // dead process (ESRCH, a missing /proc/PID/ns, EPIPE), and init's own error is the cause.
    if (auto fed = feed_init(p, net_undo); !fed)
        return std::unexpected(start::init_error_or(p.sync.get(), fed.error()));
    CNT_TRY(run_init(p));
    net_undo.dismiss();
    log::info("container started, init pid ", b.init);
    return {};
}

// Before the clone only the cgroup init is born in (the inner v2 directory). The other
// hierarchies' directories and the limits follow the clone, while init builds its
// filesystem; init joins their inner directories once its new root is in place, before
// anything of the container runs (start::Setup).
Result<void> Monitor::make_cgroup() {
    CNT_ASSIGN(g, cgroup::Group::begin(s_.paths.name, s_.cfg.cgroup));
    b_->group = std::move(g);
    b_->undo.push([&b = *b_] {
        // Once init of the container's own pid namespace is reaped, the kernel has ended every
        // process of that namespace: the kill is for anything else in the cgroup (a task moved
        // in from outside), which cgroup2 tells.
        if (!(b.exited && b.own_pidns && b.group->surely_empty())) (void)b.group->kill_all();
        if (auto r = b.group->destroy(); !r) {
            b.cgroups_left = true;
            log::error(r.error().message());
        }
    });
    return {};
}

// The seccomp filter, the console and ttys, and the console log.
Result<void> Monitor::make_ptys() {
    const auto& cfg = s_.cfg;
    Boot& b = *b_;
    if (!cfg.security.seccomp_profile.empty()) {
        CNT_ASSIGN(sc, security::Seccomp::compile(cfg.security.seccomp_profile,
                                                  sysconf::get().rundir + "/seccomp"));
        b.seccomp = std::move(sc);
    }
    bool raw = foreground_ && !::isatty(STDIN_FILENO);
    CNT_ASSIGN(p, pty::allocate(cfg, raw || !foreground_));
    b.ptys = std::move(p);
    // The container's root owns its console and ttys (the tty group where it is mapped).
    if (!cfg.ns.idmaps.empty()) CNT_TRY(user::give_ptys(b.ptys, cfg.ns.idmaps));
    if (foreground_ && b.ptys.console.master && ::isatty(STDIN_FILENO)) {
        struct termios t {};
        if (::tcgetattr(STDIN_FILENO, &t) == 0)
            ::tcsetattr(b.ptys.console.master.get(), TCSANOW, &t);
        pty::copy_winsize(STDIN_FILENO, b.ptys.console.master.get());
    }
    if (!cfg.console.logfile.empty() && b.ptys.console.master) {
        b.console_log.reset(
            ::open(cfg.console.logfile.c_str(), O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0600));
        if (!b.console_log)
            return sys_error(cat("opening lxc.console.logfile \"", cfg.console.logfile, "\""));
    }
    return {};
}

// init's arguments, and what the monitor does for it between the clone and the exec.
Result<void> Monitor::plan_init(InitPlan& p, int sync) {
    const auto& cfg = s_.cfg;
    auto& ia = p.ia;
    ia.cfg = &cfg;
    ia.store = s_.store;
    ia.name = s_.paths.name;
    ia.argv = s_.argv;
    ia.sync = sync;
    ia.clone_flags = ns::clone_flags(cfg);
    ia.ptys = &b_->ptys;
    ia.seccomp = b_->seccomp.get();
    ia.hook_env = b_->hook_env;
    ia.foreground = foreground_;
    ia.shared = &b_->shared;
    // A user's monitor cannot enter the container's netns by itself: init brings lo up,
    // unless a veth (cnt-user-nic's) needs net::setup, which reaches the netns through the
    // container's user namespace.
    const bool veth = std::any_of(cfg.networks.begin(), cfg.networks.end(),
                                  [](const auto& n) { return n.type == config::NetType::veth; });
    ia.lo_up = ns::unprivileged() && (ia.clone_flags & CLONE_NEWNET) && !veth;
    ia.send_ns = ns::unprivileged() && (ia.clone_flags & CLONE_NEWNET) && veth;
    CNT_ASSIGN(idmap_rootfs, rootfs::needs_idmapped_mount(cfg, ia.clone_flags));
    p.idmap_rootfs = idmap_rootfs;
    // As host root, the monitor makes /dev and gives the inner cgroups to that root (a
    // monitor run by a normal user can do neither; init binds the host's nodes).
    if ((ia.clone_flags & CLONE_NEWUSER) && ::geteuid() == 0) {
        auto uid = ns::host_id(cfg.ns.idmaps, 'u', 0);
        auto gid = ns::host_id(cfg.ns.idmaps, 'g', 0);
        if (uid && gid) p.idmap_root.emplace(static_cast<uid_t>(*uid), static_cast<gid_t>(*gid));
    }
    // Every init execs its command through a sealed helper (InitArgs::exec_fd).
    CNT_TRY(seal_init_exe());
    ia.exec_fd = init_exe_.get();
    ia.exec_through = !s_.opts.execute;
    ia.hook_env.exec_fd = init_exe_.get();
    // Between init's "ready" and its exec the monitor runs the start-host hooks and takes
    // init's namespaces for the stop hooks. Without either, "exec" follows the network at
    // once and init finds it queued: one hand-off between the two processes less.
    p.exec_early = cfg.hooks.of(config::HookType::start_host).empty() &&
                   cfg.hooks.of(config::HookType::stop).empty();
    return {};
}

// init is born in the inner v2 cgroup and moves itself into the v1 ones (cgroup::SelfJoin,
// through files sent with "setup"): no pid is written into a cgroup.procs on the way.
// The cgroup namespace is made by init itself once it sits in every hierarchy (see
// InitArgs::clone_flags).
// A rootfs that is a mount of its own (overlay, loop) is made here, before init is in the
// container's device cgroup (which refuses it the loop device); init inherits it.
Result<void> Monitor::clone_init(InitPlan& p, unique_fd& theirs) {
    Boot& b = *b_;
    auto& ia = p.ia;
    CNT_ASSIGN(store_root, rootfs::open_store(s_.store));
    ia.store_root = store_root.get();
    int cg_fd = b.group ? b.group->clone_fd() : -1;
    CNT_ASSIGN(child, b.shared.empty()
                          ? ns::clone_child(ia.clone_flags & ~CLONE_NEWCGROUP, cg_fd)
                          : b.shared.clone_init(ia.clone_flags & ~CLONE_NEWCGROUP, cg_fd));
    if (child.pid == 0) {
        p.sync.reset();
        ia.born_in_v2 = child.in_cgroup;
        start::init_main(ia);
    }
    theirs.reset();
    store_root.reset();
    b.init = child.pid;
    b.own_pidns = ia.clone_flags & CLONE_NEWPID;
    b.init_pidfd = std::move(child.pidfd);
    b.undo.push([&b] {
        if (!b.exited) {
            pidfd_signal(b.init_pidfd.get(), SIGKILL);
            ::waitpid(b.init, nullptr, 0);
            b.exited = true;
        }
    });
    return {};
}

// What init waits for after the clone: the cgroups, its id maps, the idmapped rootfs and
// premade /dev ("setup"), then the network, and "exec" at once when nothing comes between.
Result<void> Monitor::feed_init(InitPlan& p, Undo& net_undo) {
    const auto& cfg = s_.cfg;
    Boot& b = *b_;
    start::Setup setup;
    if (b.group) {
        // The v1 directories, the limits, then the inner directories init joins.
        CNT_TRY(b.group->complete(cfg.cgroup));
        CNT_ASSIGN(j, b.group->self_join());
        setup.join = std::move(j);
        if (cfg.mounts.autos.cgroup != config::MountAuto::Cgroup::none)
            setup.cgroups = b.group->placements();
        if (p.idmap_root)
            CNT_TRY(cgroup::give_inner(b.group->placements(), p.idmap_root->first,
                                       p.idmap_root->second));
    }
    if (!cfg.ns.idmaps.empty() && (p.ia.clone_flags & CLONE_NEWUSER))
        CNT_TRY(ns::write_idmaps(b.init, cfg.ns.idmaps));
    if (p.idmap_rootfs) {
        CNT_ASSIGN(m, rootfs::idmapped_rootfs(cfg, b.init));
        setup.rootfs = std::move(m);
    }
    if (p.idmap_root && cfg.mounts.autodev) {
        CNT_ASSIGN(d, dev::premade_autodev(cfg, p.idmap_root->first, p.idmap_root->second));
        setup.dev = std::move(d);
    }
    CNT_TRY(start::send_setup(p.sync.get(), setup));
    // Read now, while init builds its filesystem: during its exec, reading its
    // /proc/PID/stat waits for the exec (60 us and more measured).
    CNT_ASSIGN(t0, start_time_of(b.init, "init"));
    b.init_start = t0;
    // init builds its filesystem (its slowest step: detaching the old root waits for an
    // RCU grace period) while the network is set up here; it needs it only at exec.
    if ((p.ia.clone_flags & CLONE_NEWNET) && !p.ia.lo_up) CNT_TRY(setup_net(p, net_undo));
    if (p.exec_early) CNT_TRY(start::send_msg(p.sync.get(), start::kExec));
    return {};
}

Result<void> Monitor::setup_net(const InitPlan& p, Undo& net_undo) {
    Boot& b = *b_;
    net::SetupOptions o;
    o.lxcpath = s_.paths.lxcpath;
    o.hook_version = s_.cfg.hooks.version;
    o.hook_env = hooks::env_vars(b.hook_env);
    start::NsFds ns;
    if (p.ia.send_ns) {
        CNT_ASSIGN(got, start::recv_ns(p.sync.get()));
        ns = std::move(got);
        o.userns_fd = ns.user.get();
        o.netns_fd = ns.net.get();
    }
    CNT_ASSIGN(a, net::setup(s_.cfg.networks, s_.paths.name, b.init, net_undo, o));
    b.net = std::move(a);
    return {};
}

// From here tools are served (the command socket) and the run state says RUNNING.
Result<void> Monitor::go_running() {
    Boot& b = *b_;
    CNT_TRY(store::mkdirs(s_.paths.run_dir(), 0700));
    CNT_ASSIGN(sock, commands::listen(s_.paths.socket()));
    b.sock = std::move(sock);
    b.undo.push([this] {
        if (::unlink(s_.paths.socket().c_str()) != 0 && errno != ENOENT)
            left_behind("the command socket");
    });
    RunState st;
    st.state = State::running;
    st.init_pid = b.init;
    st.init_start = b.init_start;
    st.monitor_pid = ::getpid();
    st.monitor_start = monitor_start_;  // read once, by mark_starting
    st.config_file = s_.config_file;
    if (b.group) st.cgroup = b.group->save();
    st.net = b.net.save();
    b.undo.push([this] { remove_state(); });
    CNT_TRY(runstate::write(s_.paths, st));
    if (!s_.opts.pidfile.empty()) {
        CNT_TRY(store::write_atomic(s_.opts.pidfile, std::to_string(::getpid())));
        std::string pf = s_.opts.pidfile;
        b.undo.push([pf] { ::unlink(pf.c_str()); });
    }
    return {};
}

// init's "ready", the start-host hooks, its exec, and the RUNNING state.
Result<void> Monitor::run_init(const InitPlan& p) {
    const auto& cfg = s_.cfg;
    Boot& b = *b_;
    // With "exec" already queued, the state is written while init finishes its filesystem
    // (as LXC, RUNNING comes just before the exec) rather than beside the payload's first
    // steps; a failed exec still undoes it. With hooks between "ready" and the exec, it
    // waits for the exec so the hooks run while the state says STARTING.
    if (p.exec_early) CNT_TRY(go_running());
    CNT_TRY(start::expect(p.sync.get(), start::kReady));
    if (!p.exec_early) {
        if (!cfg.hooks.of(config::HookType::stop).empty()) keep_ns_for_stop_hook();
        CNT_TRY(hooks::run(cfg, config::HookType::start_host, b.hook_env));
        CNT_TRY(start::send_msg(p.sync.get(), start::kExec));
    }
    // EOF: init's end closed on exec. A message: what failed before or at exec.
    CNT_ASSIGN(m, start::recv_msg(p.sync.get(), "exec"));
    if (!m.empty()) {
        if (auto e = start::decode_error(m)) return std::unexpected(std::move(*e));
        return error("sync: expected the exec, got \"", m, "\"");
    }
    if (!p.exec_early) CNT_TRY(go_running());
    return {};
}

void Monitor::forward_console() {
    char buf[4096];
    ssize_t n = ::read(b_->ptys.console.master.get(), buf, sizeof buf);
    if (n <= 0) return;
    if (foreground_) write_all(STDOUT_FILENO, buf, static_cast<size_t>(n));
    if (b_->console_log) write_all(b_->console_log.get(), buf, static_cast<size_t>(n));
    // Daemon without a client: the output is consumed so the container never blocks on it.
}

// init execs from a sealed copy of a static helper of ours (init keeps the descriptor through
// the clone): cnt-execute's init is cnt-init, and every other init execs its command through
// cnt-exec (`--exec`), so that a `#!/proc/self/exe` command finds the copy and not the host's
// cnt-start. Nothing of the host is mounted into the container, and the container's root,
// which may open /proc/1/exe, cannot write the host's binary. Made once per monitor: cnt-exec
// is 9 KB without a C library, where a copy of cnt-init (0.7 MB, which also takes --exec and
// stands in where cnt-exec is not built) and its exec cost 1 ms of every start.
Result<void> Monitor::seal_init_exe() {
    if (init_exe_) return {};
    std::string name = s_.opts.execute ? "cnt-init" : "cnt-exec";
    std::string path = find_helper(name);
    if (path.empty() && !s_.opts.execute) path = find_helper(name = "cnt-init");
    if (path.empty()) return errno_error(ENOENT, cat("finding ", name));
    unique_fd src(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!src) return sys_error(cat("opening \"", path, "\""));
    CNT_ASSIGN(copy, sealed::copy(src.get(), name.c_str()));
    init_exe_ = std::move(copy);
    return {};
}

// "exe DEV:INO:SIZE:SEC:NSEC PATH": the sealed copy of the requester's binary, made once and
// handed to every later request for the same file (an upgraded binary gets a new copy).
void Monitor::serve_exe(int fd, std::string_view what) {
    auto sp = what.find(' ');
    auto id = sealed::parse(what.substr(0, sp));
    if (!id || sp == std::string_view::npos)
        return (void)commands::send_fd(fd, "error bad request", -1);
    if (!attach_exe_ || !(attach_exe_id_ == *id)) {
        std::string path(what.substr(sp + 1));
        unique_fd src(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
        struct stat st {};
        if (!src || ::fstat(src.get(), &st) != 0 || !(sealed::file_id(st) == *id))
            return (void)commands::send_fd(fd, "error not the requester's binary", -1);
        auto copy = sealed::copy(src.get(), "cnt-attach");
        if (!copy) {
            log::warn(copy.error().message());
            return (void)commands::send_fd(fd, "error copy failed", -1);
        }
        attach_exe_ = std::move(*copy);
        attach_exe_id_ = *id;
    }
    (void)commands::send_fd(fd, "ok", attach_exe_.get());
}

// "seccomp": the container's filter as a BPF program in a sealed memfd, or "none".
void Monitor::serve_seccomp(int fd) {
    if (!b_->seccomp) return (void)commands::send_fd(fd, "none", -1);
    if (!b_->seccomp_bpf) {
        auto prog = b_->seccomp->bpf();
        unique_fd m(static_cast<int>(
            ::syscall(SYS_memfd_create, "seccomp-bpf", MFD_CLOEXEC | MFD_ALLOW_SEALING)));
        if (!prog || !m || !write_all(m.get(), prog->data(), prog->size()) ||
            ::fcntl(m.get(), F_ADD_SEALS,
                    F_SEAL_SEAL | F_SEAL_SHRINK | F_SEAL_GROW | F_SEAL_WRITE) != 0) {
            log::warn("seccomp: exporting the filter for attach failed");
            return (void)commands::send_fd(fd, "error exporting the filter", -1);
        }
        b_->seccomp_bpf = std::move(m);
    }
    (void)commands::send_fd(fd, "ok", b_->seccomp_bpf.get());
}

// The "state" request's answer: RUNNING, or the freezer's FROZEN / FREEZING.
std::string state_reply(const Boot& b) {
    if (!b.group) return "RUNNING";
    auto f = b.group->freezer_state();
    if (f && *f == cgroup::FreezerState::frozen) return "FROZEN";
    if (f && *f == cgroup::FreezerState::freezing) return "FREEZING";
    return "RUNNING";
}

bool tty_busy(const Boot& b, int tty) {
    for (const auto& c : b.clients)
        if (c.tty == tty) return true;
    return false;
}

// The pty a "console N" request gets: N, or the first free tty for -1; -1 when none is free.
int pick_tty(const Boot& b, int tty) {
    for (size_t i = 1; i <= b.ptys.ttys.size() && tty < 0; ++i)
        if (!tty_busy(b, static_cast<int>(i))) tty = static_cast<int>(i);
    return tty;
}

int tty_master(const Boot& b, int tty) {
    if (tty == 0) return b.ptys.console.master.get();
    if (tty > 0 && static_cast<size_t>(tty) <= b.ptys.ttys.size())
        return b.ptys.ttys[tty - 1].master.get();
    return -1;
}

void reply(int fd, const std::string& line) { (void)commands::send_fd(fd, line, -1); }

// "stop [SIGNAL]": the signal to init (SIGKILL also to everything in its cgroups).
void Monitor::serve_stop(int fd, const std::string& req) {
    int sig = req.size() > 5 ? std::atoi(req.c_str() + 5) : SIGKILL;
    if (sig <= 0) sig = SIGKILL;
    if (pidfd_signal(b_->init_pidfd.get(), sig) != 0) return reply(fd, cat("error ", errno));
    if (sig == SIGKILL && b_->group) (void)b_->group->kill_all();
    reply(fd, "ok");
}

// "wait": held until the teardown ends; those whose tool went away first are dropped here.
void Monitor::add_waiter(int fd) {
    std::erase_if(waiters_, [](const unique_fd& w) {
        pollfd p{w.get(), POLLRDHUP, 0};
        return ::poll(&p, 1, 0) > 0;
    });
    waiters_.emplace_back(::dup(fd));
}

// "console [N]": the pty's master for cnt-console, one client per pty.
void Monitor::serve_console(int fd, const std::string& req) {
    int tty = pick_tty(*b_, req.size() > 8 ? std::atoi(req.c_str() + 8) : -1);
    if (tty < 0) return reply(fd, "error no free tty");
    int master = tty_master(*b_, tty);
    if (master < 0) return reply(fd, "error no such tty");
    if (tty_busy(*b_, tty)) return reply(fd, "error tty busy");
    if (!commands::send_fd(fd, cat("ok ", tty), master)) return;
    b_->clients.push_back({unique_fd(::dup(fd)), tty});
}

void Monitor::handle_client(int fd) {
    // Room for "exe" and a binary's path.
    char buf[4200];
    ssize_t n = ::recv(fd, buf, sizeof buf - 1, 0);
    if (n <= 0) return;
    std::string req(buf, static_cast<size_t>(n));
    while (!req.empty() && (req.back() == '\n' || req.back() == '\r')) req.pop_back();
    if (req == "state")
        reply(fd, state_reply(*b_));
    else if (req == "pid")
        reply(fd, std::to_string(b_->init));
    else if (req.rfind("stop", 0) == 0)
        serve_stop(fd, req);
    else if (req.rfind("exe ", 0) == 0)
        serve_exe(fd, std::string_view(req).substr(4));
    else if (req == "seccomp")
        serve_seccomp(fd);
    else if (req == "wait")
        add_waiter(fd);
    else if (req.rfind("console", 0) == 0)
        serve_console(fd, req);
    else
        reply(fd, "error unknown command");
}

// What serve() watches besides init and the socket: the console's master, and with -F on a
// terminal, the terminal in raw mode and its resizes (the kernel signals init's side).
struct ConsoleIo {
    int cm = -1;
    std::unique_ptr<pty::RawTerminal> raw;
    std::optional<SignalFd> winch;
};

void Monitor::open_console_io(ConsoleIo& io) {
    bool tty_in = foreground_ && ::isatty(STDIN_FILENO);
    if (tty_in && b_->ptys.console.master)
        io.raw = std::make_unique<pty::RawTerminal>(STDIN_FILENO);
    if (!foreground_ || !b_->ptys.console.master) stdin_open_ = false;
    io.cm = b_->ptys.console.master.get();
    if (io.cm >= 0) ::fcntl(io.cm, F_SETFL, ::fcntl(io.cm, F_GETFL) | O_NONBLOCK);
    static constexpr int kWinch[] = {SIGWINCH};
    if (io.raw) io.winch.emplace(kWinch);
}

// The poll set, in the order of the kPoll* indexes, then one entry per console client.
enum { kPollInit, kPollSock, kPollConsole, kPollStdin, kPollWinch, kPollClients };
std::vector<pollfd> Monitor::poll_set(const ConsoleIo& io) const {
    std::vector<pollfd> fds;
    fds.push_back({b_->init_pidfd.get(), POLLIN, 0});
    fds.push_back({b_->sock.get(), POLLIN, 0});
    fds.push_back({tty_busy(*b_, 0) ? -1 : io.cm, POLLIN, 0});
    fds.push_back({stdin_open_ ? STDIN_FILENO : -1, POLLIN, 0});
    fds.push_back({io.winch ? io.winch->fd() : -1, POLLIN, 0});
    for (auto& c : b_->clients) fds.push_back({c.conn.get(), POLLIN, 0});
    return fds;
}

// The container runs on whatever befell this wait: try again (ENOMEM: a moment later).
// Only a broken call (EFAULT, EINVAL) ends the supervision, and init.
enum class Polled { ready, again, broken };
Polled wait_events(std::vector<pollfd>& fds) {
    if (::poll(fds.data(), fds.size(), -1) >= 0) return Polled::ready;
    if (errno == EINTR) return Polled::again;
    log::error("waiting for init and the command socket: ", std::strerror(errno));
    if (errno == ENOMEM || errno == EAGAIN) {
        ::usleep(10000);
        return Polled::again;
    }
    return Polled::broken;
}

void Monitor::reap_init() {
    siginfo_t si{};
    if (::waitid(P_PIDFD, static_cast<id_t>(b_->init_pidfd.get()), &si, WEXITED | WNOHANG) != 0 ||
        si.si_pid == 0)
        return;
    b_->exited = true;
    raw_status_ = si.si_code == CLD_EXITED ? (si.si_status & 0xff) << 8 : si.si_status & 0x7f;
    if (si.si_code == CLD_EXITED)
        log::notice("init exited with status ", si.si_status);
    else
        log::notice("init killed by signal ", si.si_status);
    // The kernel turns reboot(2) by a pid namespace's init into SIGHUP (SIGINT for halt and
    // power-off) for its parent to see.
    b_->reboot = si.si_code == CLD_KILLED && si.si_status == SIGHUP;
}

// -F: the terminal's resizes and input go on to the console.
void Monitor::forward_terminal(const std::vector<pollfd>& fds, ConsoleIo& io) {
    // Before input: what was typed after a resize must find the new size.
    if (fds[kPollWinch].revents & POLLIN) {
        while (io.winch->take()) {
        }
        pty::copy_winsize(STDIN_FILENO, io.cm);
    }
    if (fds[kPollStdin].revents & (POLLIN | POLLHUP)) {
        char buf[4096];
        ssize_t n = ::read(STDIN_FILENO, buf, sizeof buf);
        if (n <= 0)
            stdin_open_ = false;
        else
            write_all(io.cm, buf, static_cast<size_t>(n));
    }
}

// A console client's connection that became readable or hung up has ended.
void Monitor::drop_console_clients(const std::vector<pollfd>& fds) {
    for (size_t i = kPollClients; i < fds.size(); ++i)
        if (fds[i].revents) b_->clients[i - kPollClients].conn.reset();
    std::erase_if(b_->clients, [](const Boot::Client& c) { return !c.conn; });
}

void Monitor::accept_client() {
    unique_fd c(::accept4(b_->sock.get(), nullptr, nullptr, SOCK_CLOEXEC));
    if (!c) return;
    timeval tv{1, 0};
    ::setsockopt(c.get(), SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof tv);
    handle_client(c.get());
}

// What init wrote last is still in the pty: show it before the pty goes away.
void Monitor::drain_console(int cm) {
    if (cm < 0 || !foreground_) return;
    for (int i = 0; i < 64; ++i) {
        char buf[4096];
        ssize_t n = ::read(cm, buf, sizeof buf);
        if (n <= 0) break;
        write_all(STDOUT_FILENO, buf, static_cast<size_t>(n));
    }
}

void Monitor::serve() {
    ConsoleIo io;
    open_console_io(io);
    while (!b_->exited) {
        auto fds = poll_set(io);
        auto w = wait_events(fds);
        if (w == Polled::again) continue;
        if (w == Polled::broken) break;
        if (fds[kPollInit].revents) reap_init();
        if (fds[kPollConsole].revents & POLLIN) forward_console();
        forward_terminal(fds, io);
        drop_console_clients(fds);
        if (fds[kPollSock].revents & POLLIN) accept_client();
    }
    drain_console(io.cm);
}

void Monitor::teardown() {
    (void)hooks::run(s_.cfg, config::HookType::stop, b_->hook_env, b_->stop_hook_args);
    b_->stop_hook_args.clear();
    b_->ns_fds.clear();
    if (!b_->net.phys.empty() || !b_->net.down.empty()) {
        if (auto r = net::teardown(b_->net, b_->init); !r) log::error(r.error().message());
    }
    b_->clients.clear();
    b_->undo.run();
    if (auto r = hooks::run(s_.cfg, config::HookType::post_stop, b_->hook_env); !r)
        log::error(r.error().message());
    // A reboot follows: the container is not stopped, and "wait" connections are held until
    // the teardown of the next init.
    if (b_->reboot) return;
    // The container is gone: a waiting cnt-stop returns now rather than at our exit (which
    // frees the memory this process took over from cnt-start: 0.1 ms), told whether it needs
    // to look for cgroups left. A connection still in the backlog is reset with the
    // listening socket.
    for (auto& w : waiters_)
        if (!b_->cgroups_left) (void)::send(w.get(), "done\n", 5, MSG_NOSIGNAL | MSG_DONTWAIT);
    waiters_.clear();
    b_->sock.reset();
}

void destroy_ephemeral(const store::Paths& p) {
    auto c = Container::open(p.name, p.lxcpath);
    auto r = c ? c->destroy(DestroyOptions{}) : Result<void>(std::unexpected(c.error()));
    if (!r) log::error("destroying the ephemeral container: ", r.error().message());
}

Result<void> Monitor::run() {
    for (bool first = true;; first = false) {
        auto r = first ? first_boot() : reboot();
        if (!r) return r;
        serve();
        teardown();
        if (!b_->reboot) {
            // lxc.ephemeral (cnt-copy -e): the container goes when it stops.
            if (s_.cfg.init.ephemeral) destroy_ephemeral(s_.paths);
            return {};
        }
        log::notice("rebooting");
    }
}

// Start a fresh init in the same monitor (cnt-stop -r, or reboot inside the container).
Result<void> Monitor::reboot() {
    // boot() throws the last boot's object away (its undo ran in the teardown).
    auto r = boot();
    if (!r) {
        log::error(r.error().message());
        b_->undo.run();
    }
    return r;
}

Result<void> Monitor::first_boot() {
    auto r = boot();
    if (!r) {
        // Into the log file only: cnt-start prints the error once.
        auto ls = log::settings();
        auto quiet = ls;
        quiet.quiet = true;
        log::configure(quiet);
        log::error(r.error().message());
        log::configure(ls);
        b_->undo.run();
        report(report_fd_, r);
        return r;
    }
    // cnt-start that is not told "ok" says the start failed (and waits for our exit): then
    // it must have failed.
    if (!report(report_fd_, {})) {
        auto e = sys_error("reporting the running container to cnt-start");
        log::error(e.error().message());
        b_->undo.run();
        return e;
    }
    if (report_fd_ >= 0) ::close(report_fd_);
    report_fd_ = -1;
    if (lock_) lock_->release();
    return {};
}

// The monitor's own session, no inherited descriptors, /dev/null for stdio, "/" for its
// working directory; each step's failure is reported as itself (a monitor left in the
// caller's session would fail later steps with errors that do not tell why).
Result<void> detach_monitor(int wfd, int lock_fd) {
    if (::setsid() < 0) return sys_error("starting the monitor's session (setsid)");
    close_inherited({wfd, lock_fd});
    int null = ::open("/dev/null", O_RDWR);
    if (null < 0) return sys_error("opening /dev/null for the monitor");
    for (int i = 0; i < 3; ++i)
        if (null != i && ::dup2(null, i) < 0)
            return sys_error("redirecting the monitor's stdio to /dev/null");
    if (null > 2) ::close(null);
    if (::chdir("/") != 0) return sys_error("changing the monitor's directory to /");
    return {};
}

// The monitor's report, up to EOF. A read that fails consumed nothing: read on, rather than
// take a monitor that is starting the container for a dead one.
std::string read_report(int fd) {
    std::string msg;
    for (int tries = 0; tries < 100; ++tries) {
        auto r = store::read_fd(fd);
        if (r) return msg + *r;
        log::warn("reading the monitor's report: ", r.error().message());
    }
    return msg;
}

// Whether a path exists, where an error other than ENOENT is one (an I/O error is not "the
// container doesn't exist").
Result<bool> exists(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) == 0) return true;
    if (errno == ENOENT || errno == ENOTDIR) return false;
    return sys_error(cat("checking \"", path, "\""));
}

void setup_monitor_log(const Session& s) {
    auto level = log::Level::notice;
    if (s.cfg.log.level) level = static_cast<log::Level>(*s.cfg.log.level);
    if (!s.opts.loglevel.empty())
        if (auto l = log::parse_level(s.opts.loglevel)) level = *l;
    std::string file = !s.opts.logfile.empty()   ? s.opts.logfile
                       : !s.cfg.log.file.empty() ? s.cfg.log.file
                                                 : s.paths.logfile();
    log::open_file(file, level);
}

// The container's lock, its configuration and who starts it. Nothing is made (no run dir, no
// lock file) for a container that does not exist.
Result<store::Lock> lock_and_load(const Container& c, Session& s) {
    const auto& o = s.opts;
    if (o.rcfile.empty()) {
        CNT_ASSIGN(dir, exists(s.paths.dir()));
        if (!dir) return error("container doesn't exist (no config)");
    }
    CNT_ASSIGN(lock, start::lock_for_start(s.paths));
    if (o.rcfile.empty()) {
        CNT_ASSIGN(config, exists(s.paths.config()));
        if (!config) return error("container doesn't exist (no config)");
    }
    CNT_ASSIGN(cfg, c.load_config(o.rcfile, o.defines));
    s.cfg = std::move(cfg);
    CNT_ASSIGN(store, rootfs::resolve_store(s.cfg, s.paths.dir()));
    s.store = std::move(store);
    s.config_file = o.rcfile.empty() ? s.paths.config() : o.rcfile;
    if (ns::unprivileged()) CNT_TRY(user::check_start(s.cfg, s.config_file));
    return lock;
}

// Whether the container runs already; a stale state file (from a monitor that died with its
// container) is removed.
Result<bool> already_running(const store::Paths& paths) {
    auto rs = runstate::read(paths);
    if (!rs) {
        // Perhaps still running: starting again would only fail on its cgroup.
        rs.error().step += "; cnt-stop -k stops what may still run and removes the file";
        return std::unexpected(std::move(rs.error()));
    }
    if (Container::state_of(*rs) != State::stopped) return true;
    runstate::remove(paths);
    return false;
}

// init's command line: the tool's, else lxc.execute.cmd / lxc.init.cmd, else /sbin/init.
Result<void> choose_argv(Session& s) {
    s.argv = s.opts.command;
    if (s.opts.execute) {
        if (s.argv.empty()) s.argv = split_words(s.cfg.init.execute_cmd);
        if (s.argv.empty()) return error("no command to execute");
        // Run from a sealed memfd (InitArgs::exec_fd): argv[0] is only its name.
        s.argv.insert(s.argv.begin(), {"cnt-init", "--"});
    } else {
        if (s.argv.empty()) s.argv = split_words(s.cfg.init.cmd);
        if (s.argv.empty()) s.argv = {"/sbin/init"};
    }
    return {};
}

// The monitor: its own session (a terminal hangup in the caller's session does not reach
// it; it opens only pty masters, which never become a controlling terminal), no inherited
// descriptors. It outlives cnt-start and is reparented.
[[noreturn]] void monitor_main(Session& s, int rfd, int wfd, store::Lock& lock) {
    ::close(rfd);
    if (auto r = detach_monitor(wfd, lock.fd()); !r) {
        report(wfd, r);
        ::_exit(1);
    }
    ::umask(022);
    ::signal(SIGPIPE, SIG_IGN);
    ::signal(SIGHUP, SIG_IGN);
    ::signal(SIGINT, SIG_IGN);
    s.monitor_start = proc::set_process_name(s.paths.lxcpath, s.paths.name);
    auto ls = log::settings();
    ls.quiet = true;
    log::configure(ls);
    setup_monitor_log(s);
    Monitor m(s, wfd, &lock);
    auto r = m.run();
    ::_exit(r ? 0 : 1);
}

// What the monitor reported: "ok", an encoded error, or nothing when it died.
Result<void> outcome(const std::string& msg) {
    if (msg == "ok") return {};
    if (auto e = start::decode_error(msg)) return std::unexpected(std::move(*e));
    return error("the monitor exited before the container was running");
}

// cnt-start's side of a monitor that took over its memory: until the monitor is gone, this
// process runs raw system calls only.
Result<void> await_sharing_monitor(pid_t pid, int rfd, int wfd, const log::Snapshot& saved_log) {
    proc::raw::close(wfd);
    char head[2];
    // A read that fails consumed nothing: read again (the report is what we wait for).
    long n = proc::raw::read(rfd, head, sizeof head);
    for (int tries = 0; n < 0 && n != -EBADF && tries < 100; ++tries)
        n = proc::raw::read(rfd, head, sizeof head);
    if (n == 2 && head[0] == 'o' && head[1] == 'k') proc::raw::exit_group(0);
    int status = 0;
    proc::raw::wait4(pid, &status);
    // Killed half way, the monitor may have left the heap locked: say so and go.
    if (WIFSIGNALED(status))
        proc::raw::die(1, saved_log.settings.prog.c_str(),
                       "the monitor was killed before the container was running\n");
    // It exited: the memory is ours alone again, but not its log file descriptor.
    log::restore(saved_log);
    std::string msg(head, n > 0 ? static_cast<size_t>(n) : 0);
    msg += read_report(rfd);
    ::close(rfd);
    return outcome(msg);
}

// -d: the monitor in a process of its own, which reports on a pipe once the container runs.
Result<void> start_daemon(Session& s, store::Lock& lock) {
    int p[2];
    if (::pipe2(p, O_CLOEXEC) != 0) return sys_error("creating the start pipe");
    // Plain numbers, not unique_fd objects: with the memory shared (below), neither process
    // may change an object the other one still reads.
    const int rfd = p[0], wfd = p[1];
    auto become_monitor = [&]() { monitor_main(s, rfd, wfd, lock); };
    // Joining a shared time namespace (setns) wants a memory no other process uses: fork then.
    if (s.opts.exit_when_running && proc::can_share_memory() &&
        !(ns::shared_mask(s.cfg.ns) & CLONE_NEWTIME)) {
        using Body = decltype(become_monitor);
        std::fflush(nullptr);  // nothing of ours left in the stdio buffers the monitor takes
        auto saved_log = log::snapshot();
        pid_t pid = proc::clone_sharing_memory(
            [](void* b) -> int {
                (*static_cast<Body*>(b))();
                return 1;
            },
            &become_monitor);
        if (pid > 0) return await_sharing_monitor(pid, rfd, wfd, saved_log);
        // No clone(CLONE_VM) here: a plain fork does the same.
    }
    pid_t pid = ::fork();
    if (pid < 0) {
        ::close(rfd);
        ::close(wfd);
        return sys_error("forking the monitor");
    }
    if (pid == 0) become_monitor();
    ::close(wfd);
    // The monitor closes its end after reporting; EOF without a report means it died.
    std::string msg = read_report(rfd);
    ::close(rfd);
    return outcome(msg);
}

}  // namespace

Result<void> Container::start(const StartOptions& o) {
    // -C, as lxc-start's: the caller's descriptors are not the container's (a daemonized
    // monitor closes them anyway); the log file the tool opened stays.
    if (o.close_fds) close_inherited({log::snapshot().file_fd});
    Session s;
    s.paths = paths_;
    s.opts = o;
    CNT_ASSIGN(lock, lock_and_load(*this, s));
    CNT_ASSIGN(running, already_running(paths_));
    if (running) {
        log::notice("Container is already running");
        return {};
    }
    CNT_TRY(choose_argv(s));
    if (o.daemonize) return start_daemon(s, lock);
    setup_monitor_log(s);
    ::signal(SIGPIPE, SIG_IGN);
    Monitor m(s, -1, &lock);
    auto r = m.run();
    if (o.exit_status) *o.exit_status = m.raw_status();
    return r;
}

}  // namespace cnt
