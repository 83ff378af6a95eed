// cnt-user-nic's privileged part (see cnt/usernic.hpp). Order matters: every check runs
// before anything is made, the veth is recorded in the state file before it exists (so a
// helper killed half-way never lets a user exceed the quota), and the whole pair, bridge port
// and named peer in the target netns, is one RTM_NEWLINK (nothing is left half-made).
#include "cnt/usernic.hpp"

#include <fcntl.h>
#include <linux/if.h>
#include <linux/nsfs.h>
#include <netlink/route/link/veth.h>
#include <sys/file.h>
#include <sys/ioctl.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>
#include <cstring>
#include <optional>
#include <thread>

#include "cnt/log.hpp"
#include "cnt/net.hpp"
#include "cnt/pidfd.hpp"
#include "cnt/store.hpp"
#include "cnt/users.hpp"
#include "net/nl.hpp"

namespace cnt::usernic {
namespace {

namespace nl = cnt::net::nl;

constexpr size_t kMaxFile = 1u << 20;
constexpr const char* kLock = "cnt-user-nic.lock";
constexpr const char* kState = "cnt-user-nic.state";

bool same_file(const struct stat& a, const struct stat& b) {
    return a.st_dev == b.st_dev && a.st_ino == b.st_ino;
}

// The helper works in a network namespace of the initial user namespace only (the host's, or
// one root made): never in one a user made, whose bridges are that user's to choose.
Result<void> check_own_netns() {
    unique_fd net(::open("/proc/self/ns/net", O_RDONLY | O_CLOEXEC));
    if (!net) return sys_error("opening /proc/self/ns/net");
    unique_fd owner(::ioctl(net.get(), NS_GET_USERNS));
    if (!owner) return sys_error("finding the user namespace of our network namespace");
    unique_fd parent(::ioctl(owner.get(), NS_GET_PARENT));
    if (parent || errno != EPERM)
        return errno_error(EPERM, "called from a network namespace of a user namespace");
    return {};
}

// cnt-usernet: a regular file owned by root that only root can write.
Result<std::vector<Grant>> read_grants() {
    struct stat st {};
    auto text = store::read_input(kUsernetPath, kMaxFile, &st);
    if (!text) return std::unexpected(std::move(text.error()).within(kUsernetPath));
    if (st.st_uid != 0 || (st.st_mode & 022))
        return errno_error(EPERM,
                           cat(kUsernetPath, ": must be owned by root, writable by root only"));
    auto g = parse_usernet(*text);
    if (!g) return std::unexpected(std::move(g.error()).within(kUsernetPath));
    return g;
}

Result<unsigned> quota_of(uid_t caller, const std::string& bridge) {
    CNT_ASSIGN(user, users::by_uid(caller));
    CNT_ASSIGN(groups, users::groups_of(user));
    CNT_ASSIGN(grants, read_grants());
    unsigned n = allowed(grants, user.name, groups, bridge);
    if (n == 0)
        return errno_error(EPERM, cat("user ", user.name, " is not granted a veth on bridge \"",
                                      bridge, "\" in ", kUsernetPath));
    return n;
}

std::optional<uid_t> real_uid(std::string_view status) {
    auto p = status.find("\nUid:");
    if (p == std::string_view::npos) return std::nullopt;
    p += 5;
    while (p < status.size() && (status[p] == '\t' || status[p] == ' ')) ++p;
    uid_t v = 0;
    auto [end, ec] = std::from_chars(status.data() + p, status.data() + status.size(), v);
    if (ec != std::errc() || end == status.data() + p) return std::nullopt;
    return v;
}

// The uid owning the user namespace an nsfs fd belongs to (userns: itself; netns: its owner).
Result<uid_t> ns_owner(int nsfd, bool is_userns, const std::string& what) {
    unique_fd owner;
    if (!is_userns) {
        owner.reset(::ioctl(nsfd, NS_GET_USERNS));
        if (!owner) return sys_error(cat("finding the user namespace owning ", what));
    }
    uid_t uid = 0;
    if (::ioctl(is_userns ? nsfd : owner.get(), NS_GET_OWNER_UID, &uid) != 0)
        return sys_error(cat("finding the owner of ", what));
    return uid;
}

// The network namespace of `pid`, when the caller owns both the process and the netns.
// The pidfd is opened first and checked alive after /proc/PID was read: had the process
// died and its pid been reused in between, the pidfd would say so.
Result<unique_fd> open_target(pid_t pid, uid_t caller) {
    unique_fd pidfd = pidfd_open(pid);
    if (!pidfd) return sys_error(cat("process ", pid));
    unique_fd proc(::open(cat("/proc/", pid).c_str(), O_RDONLY | O_DIRECTORY | O_CLOEXEC));
    if (!proc) return sys_error(cat("opening /proc/", pid));
    auto status = store::read_file_at(proc.get(), "status");
    int err = status ? 0 : status.error().err;
    unique_fd net(::openat(proc.get(), "ns/net", O_RDONLY | O_CLOEXEC));
    if (!err && !net) err = errno;
    unique_fd user(::openat(proc.get(), "ns/user", O_RDONLY | O_CLOEXEC));
    if (!err && !user) err = errno;
    // One not even root may look at (a process of an outer container) is not the caller's.
    if (err == EACCES || err == EPERM)
        return errno_error(EPERM, cat("process ", pid, " is not yours"));
    if (err) return errno_error(err, cat("reading /proc/", pid));
    if (pidfd_signal(pidfd, 0) != 0) return sys_error(cat("process ", pid, " went away"));
    auto ruid = real_uid(*status);
    CNT_ASSIGN(puser, ns_owner(user.get(), true, cat("process ", pid)));
    if (ruid != caller && puser != caller)
        return errno_error(EPERM, cat("process ", pid, " is not yours"));
    CNT_ASSIGN(nowner, ns_owner(net.get(), false, cat("the network namespace of ", pid)));
    struct stat self {};
    struct stat target {};
    if (::stat("/proc/self/ns/net", &self) != 0 || ::fstat(net.get(), &target) != 0)
        return sys_error("comparing network namespaces");
    if (nowner != caller || same_file(self, target))
        return errno_error(EPERM, cat("the network namespace of process ", pid,
                                      " is not owned by a user namespace of yours"));
    return net;
}

Result<nl::Link> find_bridge(const nl::Socket& s, const std::string& name) {
    auto l = nl::get_link(s, name);
    if (!l && l.error().err == ENODEV) return errno_error(ENODEV, cat("no bridge \"", name, '"'));
    if (!l) return l;
    const char* kind = rtnl_link_get_type(l->get());
    if (!kind || std::strcmp(kind, "bridge") != 0)
        return errno_error(EINVAL, cat('"', name, "\" is not a bridge"));
    return l;
}

// /run/cnt: root's, writable by root only, never a symlink.
Result<unique_fd> open_state_dir() {
    if (::mkdir(kStateDir, 0755) != 0 && errno != EEXIST)
        return sys_error(cat("making ", kStateDir));
    unique_fd d(::open(kStateDir, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
    struct stat st {};
    if (!d || ::fstat(d.get(), &st) != 0) return sys_error(cat("opening ", kStateDir));
    if (st.st_uid != 0 || (st.st_mode & 022))
        return errno_error(EPERM, cat(kStateDir, ": must be owned by root, writable by root only"));
    return d;
}

// Exclusive, with a deadline: a helper stopped while holding it must not hang the others.
Result<unique_fd> lock_state(int dirfd) {
    unique_fd fd(::openat(dirfd, kLock, O_RDWR | O_CREAT | O_NOFOLLOW | O_CLOEXEC, 0600));
    if (!fd) return sys_error(cat("opening ", kStateDir, "/", kLock));
    for (int i = 0; ::flock(fd.get(), LOCK_EX | LOCK_NB) != 0; ++i) {
        if (errno != EWOULDBLOCK || i == 100)
            return sys_error(cat("locking ", kStateDir, "/", kLock));
        std::this_thread::sleep_for(std::chrono::milliseconds(100));
    }
    return fd;
}

Result<std::vector<Entry>> read_state(int dirfd) {
    unique_fd fd(::openat(dirfd, kState, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC));
    if (!fd && errno == ENOENT) return std::vector<Entry>{};
    std::string path = cat(kStateDir, "/", kState);
    if (!fd) return sys_error(cat("opening ", path));
    struct stat st {};
    CNT_TRY(store::check_input(fd.get(), path, kMaxFile, &st));
    if (st.st_uid != 0) return errno_error(EPERM, cat(path, ": not owned by root"));
    CNT_ASSIGN(text, store::read_fd(fd.get()));
    return parse_state(text);
}

Result<void> write_state(int dirfd, const std::vector<Entry>& entries) {
    std::string tmp = cat(kState, ".tmp"), text = format_state(entries);
    unique_fd fd(
        ::openat(dirfd, tmp.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_NOFOLLOW | O_CLOEXEC, 0600));
    // Who has veths on which bridges, for which containers, is root's to read only.
    if (!fd || ::fchmod(fd.get(), 0600) != 0)
        return sys_error(cat("writing ", kStateDir, "/", tmp));
    if (::write(fd.get(), text.data(), text.size()) != static_cast<ssize_t>(text.size()))
        return sys_error(cat("writing ", kStateDir, "/", tmp));
    fd.reset();
    if (::renameat(dirfd, tmp.c_str(), dirfd, kState) != 0)
        return sys_error(cat("renaming ", kStateDir, "/", tmp));
    return {};
}

// Entries whose host interface is gone (its container's netns died) no longer count.
void prune(const nl::Socket& s, std::vector<Entry>& entries) {
    std::erase_if(entries, [&](const Entry& e) {
        auto l = nl::get_link(s, e.host_if);
        return !l && l.error().err == ENODEV;
    });
}

Result<std::string> free_host_name(const nl::Socket& s) {
    for (int i = 0; i < 8; ++i) {
        std::string n = net::random_ifname("veth");
        auto l = nl::get_link(s, n);
        if (!l && l.error().err == ENODEV) return n;
    }
    return errno_error(EEXIST, "finding a free host interface name");
}

Result<void> make_pair(const nl::Socket& s, const Request& r, const std::string& host_if,
                       rtnl_link* bridge, int netns) {
    nl::Link l(rtnl_link_veth_alloc());
    if (!l) return sys_error("allocating a veth", ENOMEM);
    rtnl_link* peer = rtnl_link_veth_get_peer(l.get());
    nl::Link peer_ref(peer);
    unsigned mtu = rtnl_link_get_mtu(bridge);
    rtnl_link_set_name(l.get(), host_if.c_str());
    rtnl_link_set_flags(l.get(), IFF_UP);
    auto mac = *net::expand_hwaddr("fe:xx:xx:xx:xx:xx");
    nl::NlAddr a(nl_addr_build(AF_LLC, mac.data(), mac.size()));
    rtnl_link_set_addr(l.get(), a.get());
    rtnl_link_set_master(l.get(), rtnl_link_get_ifindex(bridge));
    rtnl_link_set_name(peer, r.nicname.c_str());
    rtnl_link_set_ns_fd(peer, netns);
    if (mtu) {
        rtnl_link_set_mtu(l.get(), mtu);
        rtnl_link_set_mtu(peer, mtu);
    }
    s.clear();
    if (int rc = rtnl_link_add(s.get(), l.get(), NLM_F_CREATE | NLM_F_EXCL); rc < 0)
        return s.fail(rc, cat("creating veth \"", host_if, "\" on \"", r.bridge, "\" with \"",
                              r.nicname, "\" in process ", r.pid, "'s netns"));
    return {};
}

}  // namespace

Result<Created> create(const Request& r, uid_t caller) {
    CNT_TRY(check_own_netns());
    CNT_ASSIGN(quota, quota_of(caller, r.bridge));
    CNT_ASSIGN(netns, open_target(r.pid, caller));
    CNT_ASSIGN(s, nl::Socket::open());
    CNT_ASSIGN(bridge, find_bridge(s, r.bridge));
    CNT_ASSIGN(dir, open_state_dir());
    CNT_ASSIGN(lock, lock_state(dir.get()));
    CNT_ASSIGN(entries, read_state(dir.get()));
    prune(s, entries);
    auto used = std::count_if(entries.begin(), entries.end(), [&](const Entry& e) {
        return e.uid == caller && e.bridge == r.bridge;
    });
    if (used >= static_cast<long>(quota))
        return error("quota of ", quota, " veth(s) on bridge \"", r.bridge, "\" reached (", used,
                     " in use)");
    CNT_ASSIGN(host_if, free_host_name(s));
    entries.push_back({caller, r.bridge, host_if, state_token(r.container)});
    CNT_TRY(write_state(dir.get(), entries));
    if (auto made = make_pair(s, r, host_if, bridge.get(), netns.get()); !made) {
        entries.pop_back();
        if (auto w = write_state(dir.get(), entries); !w) log::warn(w.error().message());
        return std::unexpected(made.error());
    }
    return Created{r.nicname, host_if};
}

}  // namespace cnt::usernic
