#include "ns/ns.hpp"

#include <fcntl.h>
#include <linux/sched.h>
#include <sched.h>
#include <signal.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <cstring>

#include "cnt/store.hpp"
#include "ns/share.hpp"
#include "ns/userns.hpp"

namespace cnt::ns {

int clone_flags(const config::Config& cfg) {
    int flags = cfg.ns.clone;
    if (flags == 0) {
        flags = CLONE_NEWNS | CLONE_NEWPID | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWCGROUP |
                CLONE_NEWNET;
        for (const auto& n : cfg.networks)
            if (n.type == config::NetType::none) flags &= ~CLONE_NEWNET;
    }
    if (!cfg.ns.idmaps.empty()) flags |= CLONE_NEWUSER;
    flags &= ~cfg.ns.keep;
    // A shared namespace is joined (lxc.namespace.share.*), never created.
    flags &= ~shared_mask(cfg.ns);
    // Mounts are always private to the container: the rootfs and /dev setup need it.
    flags |= CLONE_NEWNS;
    return flags;
}

Result<Child> clone_child(int flags, int cgroup_fd, const char* what) {
    int pidfd = -1;
    struct clone_args args {};
    args.flags = static_cast<uint64_t>(flags) | CLONE_PIDFD;
    args.pidfd = reinterpret_cast<uint64_t>(&pidfd);
    // With CLONE_PARENT the kernel wants no exit signal: the child inherits ours (SIGCHLD).
    args.exit_signal = (flags & CLONE_PARENT) ? 0 : SIGCHLD;
    if (cgroup_fd >= 0) {
        args.flags |= CLONE_INTO_CGROUP;
        args.cgroup = static_cast<uint64_t>(cgroup_fd);
    }
    long r = ::syscall(SYS_clone3, &args, sizeof args);
    bool in_cgroup = cgroup_fd >= 0;
    if (r < 0 && errno == ENOSYS) {
        // No clone3 (a kernel before 5.3, or valgrind): clone(2) has the same flags but for
        // CLONE_INTO_CGROUP; the child then joins the v2 cgroup itself (SelfJoin::join).
        in_cgroup = false;
        r = ::syscall(SYS_clone, (args.flags & ~CLONE_INTO_CGROUP) | args.exit_signal, nullptr,
                      &pidfd, nullptr, 0UL);
        if (r < 0) return sys_error(cat("cloning ", what, " (clone)"));
    }
    if (r < 0) return sys_error(cat("cloning ", what, " (clone3)"));
    Child c;
    c.pid = static_cast<pid_t>(r);
    c.in_cgroup = in_cgroup;
    if (r > 0) c.pidfd.reset(pidfd);
    return c;
}

namespace {
Result<void> write_file(const std::string& path, const std::string& text) {
    unique_fd fd(::open(path.c_str(), O_WRONLY | O_CLOEXEC));
    if (!fd) return sys_error(cat("opening \"", path, "\""));
    if (::write(fd.get(), text.data(), text.size()) != static_cast<ssize_t>(text.size()))
        return sys_error(cat("writing \"", path, "\""));
    return {};
}
}  // namespace

Result<void> write_idmaps(pid_t pid, const std::vector<config::IdMap>& maps) {
    // A normal user writes its maps through newuidmap/newgidmap (ns/userns.hpp).
    if (unprivileged()) return write_maps(pid, maps);
    std::string u, g;
    for (const auto& m : maps)
        (m.type == 'u' ? u : g) += cat(m.nsid, ' ', m.hostid, ' ', m.range, '\n');
    std::string base = cat("/proc/", pid, "/");
    // gid_map may only be written by a privileged parent, or after setgroups is denied;
    // as root we keep setgroups allowed (LXC does the same for privileged maps).
    if (!u.empty()) CNT_TRY(write_file(base + "uid_map", u));
    if (!g.empty()) CNT_TRY(write_file(base + "gid_map", g));
    return {};
}

std::optional<unsigned long> host_id(const std::vector<config::IdMap>& maps, char type,
                                     unsigned long nsid) {
    for (const auto& m : maps)
        if (m.type == type && nsid >= m.nsid && nsid - m.nsid < m.range)
            return m.hostid + (nsid - m.nsid);
    return std::nullopt;
}

const std::vector<Kind>& kinds() {
    // User first: joining it grants the capabilities needed for the others.
    static const std::vector<Kind> k = {
        {"user", CLONE_NEWUSER},     {"mnt", CLONE_NEWNS},    {"pid", CLONE_NEWPID},
        {"uts", CLONE_NEWUTS},       {"ipc", CLONE_NEWIPC},   {"net", CLONE_NEWNET},
        {"cgroup", CLONE_NEWCGROUP}, {"time", CLONE_NEWTIME},
    };
    return k;
}

bool shares(pid_t pid, const char* name) {
    struct stat a {
    }, b{};
    if (::stat(cat("/proc/", pid, "/ns/", name).c_str(), &a) != 0) return true;
    if (::stat(cat("/proc/self/ns/", name).c_str(), &b) != 0) return true;
    return a.st_ino == b.st_ino && a.st_dev == b.st_dev;
}

Result<void> join(pid_t pid, int pidfd, int mask) {
    int want = 0;
    for (const auto& k : kinds()) {
        if (mask && !(mask & k.flag)) continue;
        if (shares(pid, k.name)) continue;
        want |= k.flag;
    }
    if (want == 0) return {};
    if (pidfd >= 0) {
        if (::setns(pidfd, want) == 0) return {};
        // Only a kernel without setns on a pidfd (before 5.8) says EINVAL: any other error is
        // the join's.
        if (errno != EINVAL) return sys_error(cat("joining the namespaces of ", pid));
    }
    // Older kernels: one /proc/PID/ns/<name> fd at a time, user first.
    for (const auto& k : kinds()) {
        if (!(want & k.flag)) continue;
        unique_fd fd(::open(cat("/proc/", pid, "/ns/", k.name).c_str(), O_RDONLY | O_CLOEXEC));
        if (!fd) return sys_error(cat("opening ", k.name, " namespace of ", pid));
        if (::setns(fd.get(), k.flag) != 0) return sys_error(cat("joining ", k.name, " namespace"));
    }
    return {};
}

}  // namespace cnt::ns
