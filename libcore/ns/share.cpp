#include "ns/share.hpp"

#include <fcntl.h>
#include <sched.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <climits>
#include <cstdlib>

#include "cnt/pidfd.hpp"
#include "cnt/state.hpp"
#include "cnt/store.hpp"
#include "ns/ns.hpp"

namespace cnt::ns {

namespace {

const Kind* kind_of(const std::string& name) {
    for (const auto& k : kinds())
        if (name == k.name) return &k;
    return nullptr;
}

bool all_digits(const std::string& s) {
    return !s.empty() &&
           std::all_of(s.begin(), s.end(), [](unsigned char c) { return std::isdigit(c); });
}

// The init pid of a running container, with its start time to catch a reused pid.
Result<std::pair<pid_t, unsigned long long>> container_init(const std::string& lxcpath,
                                                            const std::string& name,
                                                            const std::string& key) {
    store::Paths p{lxcpath, name};
    auto rs = runstate::read(p);
    if (!rs) return std::unexpected(std::move(rs.error()).within(key));
    if (!*rs || !(*rs)->init_alive())
        return errno_error(ESRCH, cat(key, ": container \"", name, "\" is not running"));
    return std::pair{(*rs)->init_pid, (*rs)->init_start};
}

Result<unique_fd> open_ns(const std::string& path, const std::string& key) {
    unique_fd fd(::open(path.c_str(), O_RDONLY | O_CLOEXEC));
    if (!fd) return sys_error(cat(key, ": opening \"", path, "\""));
    return fd;
}

}  // namespace

int shared_mask(const config::Namespaces& ns) {
    int m = 0;
    for (const auto& [name, value] : ns.share)
        if (const Kind* k = kind_of(name); k && !value.empty()) m |= k->flag;
    return m;
}

int Shared::mask() const {
    int m = 0;
    for (const auto& s : list_) m |= s.flag;
    return m;
}

Result<Shared> Shared::open(const config::Namespaces& ns, const std::string& lxcpath) {
    Shared out;
    for (const auto& k : kinds()) {  // kinds() is in joining order, user first
        auto it = ns.share.find(k.name);
        if (it == ns.share.end() || it->second.empty()) continue;
        const std::string key = cat("lxc.namespace.share.", k.name);
        const std::string& v = it->second;
        if (k.flag == CLONE_NEWNS)
            return errno_error(EINVAL, cat(key,
                                           ": sharing the mount namespace is not supported "
                                           "(init builds its own root filesystem)"));
        unique_fd fd;
        if (v.rfind("/proc/", 0) == 0 && v.find("/ns/") != std::string::npos) {
            CNT_ASSIGN(f, open_ns(v, key));
            fd = std::move(f);
        } else {
            pid_t pid = 0;
            unsigned long long start = 0;
            if (all_digits(v)) {
                errno = 0;
                long n = std::strtol(v.c_str(), nullptr, 10);
                if (errno == 0 && n > 0 && n <= INT_MAX) pid = static_cast<pid_t>(n);
                start = pid > 0 ? store::process_start_time(pid) : 0;
                if (start == 0) return errno_error(ESRCH, cat(key, ": no process ", v));
            } else {
                // "name" in our lxcpath, or "/other/lxcpath/name".
                std::string path = lxcpath, name = v;
                if (auto slash = v.rfind('/'); slash != std::string::npos) {
                    path = v.substr(0, slash);
                    name = v.substr(slash + 1);
                }
                if (auto vr = store::validate_name(name); !vr)
                    return std::unexpected(std::move(vr.error()).within(key));
                CNT_ASSIGN(init, container_init(path, name, key));
                pid = init.first;
                start = init.second;
            }
            CNT_ASSIGN(f, open_ns(cat("/proc/", pid, "/ns/", k.name), key));
            // The pid may have been reused between reading it and opening its namespace.
            if (store::process_start_time(pid) != start)
                return errno_error(ESRCH, cat(key, ": \"", v, "\" exited"));
            fd = std::move(f);
        }
        out.list_.push_back({k.name, k.flag, std::move(fd)});
    }
    return out;
}

Result<void> Shared::join_in_child() const {
    if (mask() & CLONE_NEWUSER) return {};  // clone_init's helper joined them all
    for (const auto& s : list_) {
        if (s.flag == CLONE_NEWPID || s.flag == CLONE_NEWTIME) continue;
        if (::setns(s.fd.get(), s.flag) != 0)
            return sys_error(cat("joining the shared ", s.name, " namespace"));
    }
    return {};
}

Result<Child> Shared::clone_init(int flags, int cgroup_fd) const {
    if (!(mask() & CLONE_NEWUSER)) {
        ForChildren in_shared(*this);
        CNT_TRY(in_shared.status());
        return clone_child(flags, cgroup_fd);
    }
    int p[2];
    if (::pipe2(p, O_CLOEXEC) != 0) return sys_error("creating the clone helper's pipe");
    unique_fd rd(p[0]), wr(p[1]);
    pid_t helper = ::fork();
    if (helper < 0) return sys_error("forking the clone helper");
    if (helper == 0) {
        rd.reset();
        pid_t pid = -1;
        int err = 0;
        for (const auto& s : list_)  // user first
            if (::setns(s.fd.get(), s.flag) != 0) {
                err = errno;
                break;
            }
        // Root of the joined user namespace; init's new namespaces will belong to it. No
        // CLONE_INTO_CGROUP from a uid mapped in another user namespace: init joins all its
        // cgroups through the files the monitor opened (cgroup::SelfJoin), which the kernel
        // checks against the credentials of the monitor that opened them.
        if (!err && (::setresgid(0, 0, 0) != 0 || ::setresuid(0, 0, 0) != 0)) err = errno;
        if (!err) {
            auto c = clone_child(flags | CLONE_PARENT, -1);
            if (c && c->pid == 0) return Child{};  // init
            if (c)
                pid = c->pid;
            else
                err = c.error().err;
        }
        int msg[2] = {pid, err};
        (void)!::write(wr.get(), msg, sizeof msg);
        ::_exit(0);
    }
    (void)cgroup_fd;
    wr.reset();
    int msg[2] = {-1, EPIPE};
    ssize_t n;
    do n = ::read(rd.get(), msg, sizeof msg);
    while (n < 0 && errno == EINTR);
    while (::waitpid(helper, nullptr, 0) < 0 && errno == EINTR) {
    }
    if (n != sizeof msg || msg[0] <= 0)
        return errno_error(msg[1] ? msg[1] : EPIPE,
                           "joining the shared namespaces and cloning init");
    Child c;
    c.pid = msg[0];
    // init is our child (CLONE_PARENT): its pid cannot be reused before we reap it.
    c.pidfd = pidfd_open(c.pid);
    if (!c.pidfd) return sys_error("opening init's pidfd");
    return c;
}

Shared::ForChildren::ForChildren(const Shared& s) : owner_(::getpid()) {
    for (const auto& n : s.list_) {
        if (n.flag != CLONE_NEWPID && n.flag != CLONE_NEWTIME) continue;
        auto& own = n.flag == CLONE_NEWPID ? own_pid_ : own_time_;
        // Our active namespace (not *_for_children): where we come back to.
        own.reset(::open(n.flag == CLONE_NEWPID ? "/proc/self/ns/pid" : "/proc/self/ns/time",
                         O_RDONLY | O_CLOEXEC));
        if (!own) {
            status_ = sys_error(cat("opening our own ", n.name, " namespace"));
            return;
        }
        if (::setns(n.fd.get(), n.flag) != 0) {
            status_ = sys_error(cat("joining the shared ", n.name, " namespace"));
            return;
        }
    }
}

Shared::ForChildren::~ForChildren() {
    if (::getpid() != owner_) return;
    if (own_pid_) (void)::setns(own_pid_.get(), CLONE_NEWPID);
    if (own_time_) (void)::setns(own_time_.get(), CLONE_NEWTIME);
}

}  // namespace cnt::ns
