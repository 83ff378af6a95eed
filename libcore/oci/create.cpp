// `create`: the container's init cloned from this process with the spec's namespaces and
// cgroups, fed as cnt-start's monitor feeds it (start::Setup), left waiting on the start
// socket; then this process exits and init is reparented to the caller (a subreaper such as
// containerd's shim or podman's conmon, which waits for the pid in --pid-file).
#include <fcntl.h>
#include <signal.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/un.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

#include <cstring>

#include "base/fd_passing.hpp"
#include "cnt/cgroup.hpp"
#include "cnt/log.hpp"
#include "cnt/oci.hpp"
#include "cnt/scope.hpp"
#include "cnt/sealed.hpp"
#include "cnt/security.hpp"
#include "cnt/sysconf.hpp"
#include "container/start_internal.hpp"
#include "dev/dev.hpp"
#include "ns/ns.hpp"
#include "ns/share.hpp"
#include "oci/init.hpp"
#include "rootfs/rootfs.hpp"

namespace cnt::oci {

namespace {

std::string now_rfc3339() {
    timespec ts{};
    ::clock_gettime(CLOCK_REALTIME, &ts);
    struct tm tm {};
    ::gmtime_r(&ts.tv_sec, &tm);
    char buf[64];
    std::strftime(buf, sizeof buf, "%Y-%m-%dT%H:%M:%S", &tm);
    return cat(buf, ".", ts.tv_nsec, "Z");
}

// The static helper init execs the command through (CVE-2019-5736), as a sealed copy.
Result<unique_fd> sealed_exec_helper() {
    std::string path;
    for (const char* name : {"cnt-exec", "cnt-init"}) {
        for (auto dir : {sysconf::exe_dir(), std::string(CNT_PREFIX) + "/libexec/cnt"}) {
            std::string p = dir + "/" + name;
            if (path.empty() && ::access(p.c_str(), X_OK) == 0) path = p;
        }
    }
    if (path.empty()) return errno_error(ENOENT, "finding cnt-exec");
    unique_fd src(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!src) return sys_error(cat("opening \"", path, "\""));
    return sealed::copy(src.get(), "cnt-exec");
}

Result<unique_fd> listen_seqpacket(const std::string& path) {
    unique_fd s(::socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0));
    if (!s) return sys_error("creating the start socket");
    sockaddr_un a{};
    a.sun_family = AF_UNIX;
    if (path.size() >= sizeof a.sun_path)
        return errno_error(ENAMETOOLONG, cat("start socket \"", path, "\""));
    std::strcpy(a.sun_path, path.c_str());
    if (::bind(s.get(), reinterpret_cast<sockaddr*>(&a), sizeof a) != 0 || ::listen(s.get(), 4))
        return sys_error(cat("binding the start socket \"", path, "\""));
    return s;
}

// process.terminal: the console pty's master goes to --console-socket (runc's protocol: one
// message with the descriptor), the slave becomes /dev/console and init's stdio.
Result<void> send_console(const std::string& sock_path, const pty::Pty& pty) {
    unique_fd s(::socket(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0));
    if (!s) return sys_error("creating the console socket");
    sockaddr_un a{};
    a.sun_family = AF_UNIX;
    if (sock_path.size() >= sizeof a.sun_path)
        return errno_error(ENAMETOOLONG, cat("console socket \"", sock_path, "\""));
    std::strcpy(a.sun_path, sock_path.c_str());
    if (::connect(s.get(), reinterpret_cast<sockaddr*>(&a), sizeof a) != 0)
        return sys_error(cat("connecting to the console socket \"", sock_path, "\""));
    const int fds[] = {pty.master.get()};
    return send_fds(s.get(), fds, pty.slave, "sending the console to --console-socket");
}

class Creator {
  public:
    Creator(std::string root, std::string id, const CreateOptions& o)
        : root_(std::move(root)), id_(std::move(id)), o_(o) {}
    Result<pid_t> run();

  private:
    Result<void> prepare();
    Result<void> clone_init();
    Result<void> feed_init();
    Result<void> record();

    std::string root_, id_, dir_;
    CreateOptions o_;
    Spec spec_;
    std::optional<cgroup::Group> group_;
    std::unique_ptr<security::Seccomp> seccomp_;
    pty::Ptys ptys_;
    ns::Shared shared_;
    unique_fd exec_fd_, listener_, sync_;
    int clone_flags_ = 0;
    pid_t init_ = 0;
    unique_fd pidfd_;
    State state_;
    Undo undo_;  // last: its steps use the members above
};

Result<void> Creator::prepare() {
    char* real = ::realpath(o_.bundle.c_str(), nullptr);
    if (!real) return sys_error(cat("bundle \"", o_.bundle, "\""));
    std::string bundle(real);
    std::free(real);
    CNT_ASSIGN(spec, load_spec(bundle));
    spec_ = std::move(spec);
    if (o_.no_pivot) return error("--no-pivot is not supported");
    CNT_TRY(store::mkdirs(root_, 0700));
    dir_ = state_dir(root_, id_);
    if (::mkdir(dir_.c_str(), 0700) != 0) {
        if (errno == EEXIST) return errno_error(EEXIST, cat("container with id exists: ", id_));
        return sys_error(cat("creating \"", dir_, "\""));
    }
    undo_.push([d = dir_] {
        for (auto f : {"/state.json", "/start.sock", "/seccomp", "/config.json"})
            ::unlink((d + f).c_str());
        ::rmdir(d.c_str());
    });
    // delete runs the poststop hooks from this copy: the bundle may be gone by then.
    CNT_ASSIGN(text, store::read_input(bundle + "/config.json", 4 << 20));
    CNT_TRY(store::write_volatile(dir_ + "/config.json", text, 0600));
    if (!spec_.seccomp.empty()) {
        CNT_TRY(store::write_volatile(dir_ + "/seccomp", spec_.seccomp, 0600));
        CNT_ASSIGN(sc, security::Seccomp::compile(dir_ + "/seccomp"));
        seccomp_ = std::move(sc);
    }
    if (spec_.terminal) {
        if (o_.console_socket.empty()) return error("process.terminal needs --console-socket");
        spec_.cfg.console.path.reset();
    }
    CNT_ASSIGN(p, pty::allocate(spec_.cfg, false));
    ptys_ = std::move(p);
    if (spec_.terminal && spec_.rows && spec_.cols) {
        struct winsize ws {};
        ws.ws_row = spec_.rows;
        ws.ws_col = spec_.cols;
        ::ioctl(ptys_.console.master.get(), TIOCSWINSZ, &ws);
    }
    CNT_ASSIGN(exe, sealed_exec_helper());
    exec_fd_ = std::move(exe);
    CNT_ASSIGN(l, listen_seqpacket(dir_ + "/start.sock"));
    listener_ = std::move(l);
    return {};
}

Result<void> Creator::clone_init() {
    const auto& cfg = spec_.cfg;
    CNT_ASSIGN(shared, ns::Shared::open(cfg.ns, root_));
    shared_ = std::move(shared);
    CNT_ASSIGN(g, cgroup::Group::begin(id_, cfg.cgroup));
    group_ = std::move(g);
    undo_.push([this] {
        (void)group_->kill_all();
        if (auto r = group_->destroy(); !r) log::error(r.error().message());
    });
    int sv[2];
    if (::socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sv) != 0)
        return sys_error("creating the sync socket");
    sync_.reset(sv[0]);
    unique_fd theirs(sv[1]);
    clone_flags_ = ns::clone_flags(cfg);
    start::InitArgs ia;
    ia.cfg = &cfg;
    CNT_ASSIGN(store, rootfs::parse_store(cfg));
    ia.store = std::move(store);
    ia.name = id_;
    ia.argv = spec_.args;
    ia.sync = theirs.get();
    ia.clone_flags = clone_flags_;
    ia.ptys = &ptys_;
    ia.seccomp = seccomp_.get();
    ia.foreground = true;  // keep the caller's stdio (the shim's pipes) without a terminal
    ia.shared = &shared_;
    ia.exec_fd = exec_fd_.get();
    ia.exec_through = true;
    ia.hook_env.exec_fd = exec_fd_.get();
    const int listener = listener_.get();
    ia.ready = [this] { return init_ready(spec_); };
    ia.await_start = [this, listener](int sync) { return init_await_start(spec_, listener, sync); };
    int cg_fd = group_->clone_fd();
    int flags = clone_flags_ & ~CLONE_NEWCGROUP;
    CNT_ASSIGN(child,
               shared_.empty() ? ns::clone_child(flags, cg_fd) : shared_.clone_init(flags, cg_fd));
    if (child.pid == 0) {
        sync_.reset();
        ia.born_in_v2 = child.in_cgroup;
        start::init_main(ia);
    }
    init_ = child.pid;
    pidfd_ = std::move(child.pidfd);
    undo_.push([this] {
        ::kill(init_, SIGKILL);
        ::waitpid(init_, nullptr, 0);
    });
    return {};
}

Result<void> Creator::feed_init() {
    const auto& cfg = spec_.cfg;
    start::Setup setup;
    CNT_TRY(group_->complete(cfg.cgroup));
    CNT_ASSIGN(j, group_->self_join());
    setup.join = std::move(j);
    if (cfg.mounts.autos.cgroup != config::MountAuto::Cgroup::none)
        setup.cgroups = group_->placements();
    if (!cfg.ns.idmaps.empty() && (clone_flags_ & CLONE_NEWUSER)) {
        CNT_TRY(ns::write_idmaps(init_, cfg.ns.idmaps));
        auto uid = ns::host_id(cfg.ns.idmaps, 'u', 0);
        auto gid = ns::host_id(cfg.ns.idmaps, 'g', 0);
        if (!uid || !gid) return error("linux.uidMappings/gidMappings: no mapping for id 0");
        if (cfg.mounts.autodev) {
            CNT_ASSIGN(
                d, dev::premade_autodev(cfg, static_cast<uid_t>(*uid), static_cast<gid_t>(*gid)));
            setup.dev = std::move(d);
        }
    }
    CNT_TRY(start::send_setup(sync_.get(), setup));
    return start::expect(sync_.get(), start::kReady);
}

Result<void> Creator::record() {
    auto st = store::process_stat(init_);
    if (!st) return sys_error(cat("reading the start time of init (/proc/", init_, "/stat)"));
    state_.id = id_;
    state_.bundle = spec_.bundle;
    state_.pid = init_;
    state_.pid_start = st->start;
    state_.created = now_rfc3339();
    state_.cgroup = group_->save();
    state_.annotations = spec_.annotations;
    CNT_TRY(write_state(root_, state_));
    if (!o_.pid_file.empty()) {
        CNT_TRY(store::write_volatile(o_.pid_file, std::to_string(init_), 0644));
        undo_.push([f = o_.pid_file] { ::unlink(f.c_str()); });
    }
    return {};
}

Result<pid_t> Creator::run() {
    CNT_TRY(prepare());
    CNT_TRY(clone_init());
    listener_.reset();
    if (auto fed = feed_init(); !fed)
        return std::unexpected(start::init_error_or(sync_.get(), fed.error()));
    if (spec_.terminal) CNT_TRY(send_console(o_.console_socket, ptys_.console));
    CNT_TRY(record());
    std::string js = state_json(state_, "creating");
    CNT_TRY(run_hooks(spec_.hooks.prestart, js, "prestart"));
    CNT_TRY(run_hooks(spec_.hooks.create_runtime, js, "createRuntime"));
    CNT_TRY(run_hooks(spec_.hooks.create_container, js, "createContainer"));
    undo_.dismiss();
    return init_;
}

}  // namespace

Result<pid_t> create(const std::string& root, const std::string& id, const CreateOptions& o) {
    CNT_TRY(validate_id(id));
    Creator c(root, id, o);
    auto r = c.run();
    if (!r) return std::unexpected(std::move(r.error()).within(id));
    return r;
}

}  // namespace cnt::oci
