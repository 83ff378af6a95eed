#include "cnt/checkconfig.hpp"

#include <fcntl.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cstdlib>
#include <fstream>
#include <sstream>

#include "cnt/fd.hpp"
#include "cnt/store.hpp"

namespace cnt::checkconfig {
namespace {

bool exists(const std::string& p) {
    struct stat st {};
    return ::stat(p.c_str(), &st) == 0;
}

std::string first_line(const std::string& p) {
    std::ifstream in(p);
    std::string l;
    std::getline(in, l);
    return l;
}

// gzip -dc FILE, read from a pipe: no zlib dependency for one optional file.
std::string gunzip(const std::string& path) {
    int p[2];
    if (::pipe2(p, O_CLOEXEC) != 0) return {};
    unique_fd rd(p[0]), wr(p[1]);
    pid_t pid = ::fork();
    if (pid < 0) return {};
    if (pid == 0) {
        ::dup2(wr.get(), STDOUT_FILENO);
        int devnull = ::open("/dev/null", O_WRONLY);
        if (devnull >= 0) ::dup2(devnull, STDERR_FILENO);
        ::execlp("gzip", "gzip", "-dc", path.c_str(), static_cast<char*>(nullptr));
        _exit(127);
    }
    wr.reset();
    std::string out;
    char buf[65536];
    for (ssize_t n; (n = ::read(rd.get(), buf, sizeof buf)) != 0;) {
        if (n < 0) {
            if (errno == EINTR) continue;
            break;
        }
        out.append(buf, static_cast<size_t>(n));
    }
    int st = 0;
    while (::waitpid(pid, &st, 0) < 0 && errno == EINTR) {
    }
    if (!WIFEXITED(st) || WEXITSTATUS(st) != 0) return {};
    return out;
}

struct Feature {
    const char* section;
    const char* label;
    const char* option;  // without CONFIG_
    bool required;
    // Live evidence: enabled / missing / unknown.
    Status (*live)(const Live&);
};

Status yes(bool b) { return b ? Status::enabled : Status::missing; }
Status ns(const Live& l, const char* n) {
    auto it = l.ns.find(n);
    return yes(it != l.ns.end() && it->second);
}
Status ctrl(const Live& l, const char* c) {
    auto it = l.controllers.find(c);
    return yes(it != l.controllers.end() && it->second);
}
Status mod(const Live& l, const char* m) {
    auto it = l.modules.find(m);
    if (it != l.modules.end() && it->second) return Status::enabled;
    return l.modules_known ? Status::missing : Status::unknown;
}
Status unknown(const Live&) { return Status::unknown; }

// The table: one row per feature, in output order.
const Feature kFeatures[] = {
    {"Namespaces", "Namespaces", "NAMESPACES", true, [](const Live& l) { return ns(l, "mnt"); }},
    {"Namespaces", "Utsname namespace", "UTS_NS", true, [](const Live& l) { return ns(l, "uts"); }},
    {"Namespaces", "Ipc namespace", "IPC_NS", true, [](const Live& l) { return ns(l, "ipc"); }},
    {"Namespaces", "Pid namespace", "PID_NS", true, [](const Live& l) { return ns(l, "pid"); }},
    {"Namespaces", "User namespace", "USER_NS", false, [](const Live& l) { return ns(l, "user"); }},
    {"Namespaces", "Network namespace", "NET_NS", true, [](const Live& l) { return ns(l, "net"); }},
    {"Namespaces", "Cgroup namespace", "CGROUPS", false,
     [](const Live& l) { return ns(l, "cgroup"); }},
    {"Namespaces", "Time namespace", "TIME_NS", false, [](const Live& l) { return ns(l, "time"); }},
    {"Control groups", "Cgroups", "CGROUPS", true,
     [](const Live& l) { return yes(l.cgroup_layout != "none"); }},
    {"Control groups", "Cgroup cpuacct", "CGROUP_CPUACCT", false,
     [](const Live& l) { return ctrl(l, "cpuacct"); }},
    {"Control groups", "Cgroup memory controller", "MEMCG", false,
     [](const Live& l) { return ctrl(l, "memory"); }},
    {"Control groups", "Cgroup sched", "CGROUP_SCHED", false,
     [](const Live& l) { return ctrl(l, "cpu"); }},
    {"Control groups", "Cgroup device", "CGROUP_DEVICE", false,
     [](const Live& l) { return ctrl(l, "devices"); }},
    {"Control groups", "Cgroup freezer", "CGROUP_FREEZER", false,
     [](const Live& l) { return ctrl(l, "freezer"); }},
    {"Control groups", "Cgroup cpuset", "CPUSETS", false,
     [](const Live& l) { return ctrl(l, "cpuset"); }},
    {"Control groups", "Cgroup pids", "CGROUP_PIDS", false,
     [](const Live& l) { return ctrl(l, "pids"); }},
    {"Control groups", "Cgroup BPF (cgroup2 devices)", "CGROUP_BPF", false, unknown},
    {"Network", "Veth pair device", "VETH", false, [](const Live& l) { return mod(l, "veth"); }},
    {"Network", "Macvlan", "MACVLAN", false, [](const Live& l) { return mod(l, "macvlan"); }},
    {"Network", "Ipvlan", "IPVLAN", false, [](const Live& l) { return mod(l, "ipvlan"); }},
    {"Network", "Vlan", "VLAN_8021Q", false, [](const Live& l) { return mod(l, "8021q"); }},
    {"Network", "Bridges", "BRIDGE", false, [](const Live& l) { return mod(l, "bridge"); }},
    {"Network", "Dummy", "DUMMY", false, [](const Live& l) { return mod(l, "dummy"); }},
    {"Misc", "Multiple /dev/pts instances", "DEVPTS_MULTIPLE_INSTANCES", true,
     // Always on since 4.7, when the option was removed.
     [](const Live& l) {
         return yes(l.kernel_major > 4 || (l.kernel_major == 4 && l.kernel_minor >= 7));
     }},
    {"Misc", "POSIX message queues", "POSIX_MQUEUE", false,
     [](const Live& l) { return yes(l.mqueue); }},
    {"Misc", "Seccomp", "SECCOMP", false, [](const Live& l) { return yes(l.seccomp); }},
    {"Misc", "Seccomp filter", "SECCOMP_FILTER", false,
     [](const Live& l) { return yes(l.seccomp); }},
    {"Misc", "File handles", "FHANDLE", false, unknown},
    {"Misc", "Eventfd", "EVENTFD", false, unknown},
    {"Misc", "Epoll", "EPOLL", false, unknown},
    {"Misc", "Keys", "KEYS", false, [](const Live&) { return yes(exists("/proc/keys")); }},
    {"Checkpoint/Restore", "Checkpoint and restore", "CHECKPOINT_RESTORE", false,
     [](const Live& l) { return yes(l.ns_last_pid); }},
    {"Checkpoint/Restore", "Unix sockets diag", "UNIX_DIAG", false, unknown},
    {"Checkpoint/Restore", "Inet sockets diag", "INET_DIAG", false, unknown},
    {"Checkpoint/Restore", "Packet sockets diag", "PACKET_DIAG", false, unknown},
    {"Checkpoint/Restore", "Netlink sockets diag", "NETLINK_DIAG", false, unknown},
};

}  // namespace

KernelConfig parse_kernel_config(const std::string& text) {
    KernelConfig cfg;
    std::istringstream in(text);
    for (std::string line; std::getline(in, line);) {
        if (line.rfind("CONFIG_", 0) != 0) continue;
        auto eq = line.find('=');
        if (eq == std::string::npos) continue;
        cfg[line.substr(0, eq)] = line.substr(eq + 1);
    }
    return cfg;
}

Found find_kernel_config() {
    utsname u{};
    ::uname(&u);
    std::string rel = u.release;
    std::vector<std::string> candidates;
    if (const char* c = std::getenv("CONFIG"); c && *c)
        candidates = {c};
    else
        candidates = {"/proc/config.gz", "/lib/modules/" + rel + "/build/.config",
                      "/boot/config-" + rel};
    for (const auto& path : candidates) {
        if (!exists(path)) continue;
        std::string text;
        if (path.size() > 3 && path.compare(path.size() - 3, 3, ".gz") == 0)
            text = gunzip(path);
        else if (auto t = store::read_file(path))
            text = *t;
        if (!text.empty()) return {path, text};
    }
    return {};
}

namespace {

void probe_namespaces(Live& l) {
    for (const char* n : {"uts", "ipc", "pid", "net", "user", "mnt", "cgroup", "time"})
        l.ns[n] = exists(std::string("/proc/self/ns/") + n);
}

// /proc/cgroups: "name hierarchy num enabled"; cgroup2's own list where v2 is mounted.
void probe_controllers(Live& l) {
    std::ifstream cg("/proc/cgroups");
    for (std::string line; std::getline(cg, line);) {
        if (line.empty() || line[0] == '#') continue;
        std::istringstream ls(line);
        std::string name;
        int hier = 0, num = 0, enabled = 0;
        if (ls >> name >> hier >> num >> enabled) l.controllers[name] = enabled != 0;
    }
}

void probe_cgroup_mounts(Live& l) {
    std::ifstream mi("/proc/self/mountinfo");
    for (std::string line; std::getline(mi, line);) {
        auto dash = line.find(" - ");
        if (dash == std::string::npos) continue;
        std::istringstream pre(line.substr(0, dash)), post(line.substr(dash + 3));
        std::string id, parent, devno, root, mnt, fstype;
        pre >> id >> parent >> devno >> root >> mnt;
        post >> fstype;
        if (fstype == "cgroup")
            l.cgroup_v1_mounts.push_back(mnt);
        else if (fstype == "cgroup2")
            l.cgroup_v2_mounts.push_back(mnt);
    }
    for (const auto& m : l.cgroup_v2_mounts) {
        std::istringstream in(first_line(m + "/cgroup.controllers"));
        for (std::string c; in >> c;) l.controllers[c == "io" ? "blkio" : c] = true;
        // cgroup2 freezes through cgroup.freeze in every non-root group, no controller needed.
        l.controllers["freezer"] = true;
    }
    bool v1 = !l.cgroup_v1_mounts.empty(), v2 = !l.cgroup_v2_mounts.empty();
    l.cgroup_layout = v1 && v2 ? "hybrid" : v1 ? "v1" : v2 ? "v2" : "none";
}

void probe_kernel(Live& l) {
    std::ifstream st("/proc/self/status");
    for (std::string line; std::getline(st, line);)
        if (line.rfind("Seccomp:", 0) == 0) l.seccomp = true;
    l.ns_last_pid = exists("/proc/sys/kernel/ns_last_pid");
    l.mqueue = exists("/proc/sys/fs/mqueue");

    utsname u{};
    ::uname(&u);
    std::sscanf(u.release, "%d.%d", &l.kernel_major, &l.kernel_minor);
    // Modules: loaded ones appear in /sys/module; built-in ones are listed in modules.builtin
    // (many built-ins have no /sys/module entry).
    std::string builtin = std::string("/lib/modules/") + u.release + "/modules.builtin";
    std::string bl;
    if (auto t = store::read_file(builtin)) {
        bl = *t;
        l.modules_known = true;
    }
    for (const char* m : {"veth", "macvlan", "ipvlan", "8021q", "bridge", "dummy"}) {
        bool in_builtin = bl.find(std::string("/") + m + ".ko") != std::string::npos;
        l.modules[m] = exists(std::string("/sys/module/") + m) || in_builtin;
    }
}

void probe_userns(Live& l) {
    l.userns_clone = first_line("/proc/sys/kernel/unprivileged_userns_clone");
    l.max_user_namespaces = first_line("/proc/sys/user/max_user_namespaces");
    for (const char* tool : {"/usr/bin/newuidmap", "/usr/bin/newgidmap"}) {
        struct stat s {};
        if (::stat(tool, &s) != 0)
            l.warnings.push_back(std::string(tool) +
                                 " is not installed (unprivileged containers need it)");
        else if (!(s.st_mode & S_ISUID))
            l.warnings.push_back(std::string(tool) + " is not setuid-root");
    }
}

}  // namespace

Live probe() {
    Live l;
    probe_namespaces(l);
    probe_controllers(l);
    probe_cgroup_mounts(l);
    probe_kernel(l);
    probe_userns(l);
    return l;
}

std::string_view status_name(Status s) {
    switch (s) {
        case Status::enabled:
            return "enabled";
        case Status::missing:
            return "missing";
        case Status::required:
            return "required";
        case Status::unknown:
            return "unknown";
    }
    return "unknown";
}

Report evaluate(const KernelConfig* cfg, const Live& live) {
    Report r;
    for (const auto& f : kFeatures) {
        Item it{f.section, f.label, std::string("CONFIG_") + f.option, Status::unknown, {}};
        std::string opt = it.option;
        if (cfg && std::string(f.option) == "DEVPTS_MULTIPLE_INSTANCES" && !cfg->count(opt)) {
            it.status = f.live(live);  // the option no longer exists: decided by the version
            it.note = "always on since Linux 4.7";
        } else if (cfg) {
            auto v = cfg->find(opt);
            if (v != cfg->end() && v->second == "y")
                it.status = Status::enabled;
            else if (v != cfg->end() && v->second == "m") {
                it.status = Status::enabled;
                it.note = "module";
            } else
                it.status = Status::missing;
        } else {
            it.status = f.live(live);
            if (it.status != Status::unknown) it.note = "live probe";
        }
        if (it.status == Status::missing && f.required) it.status = Status::required;
        r.items.push_back(std::move(it));
    }
    r.info.push_back("Cgroup layout: " + live.cgroup_layout);
    for (const auto& m : live.cgroup_v1_mounts) r.info.push_back("Cgroup v1 mount point: " + m);
    for (const auto& m : live.cgroup_v2_mounts) r.info.push_back("Cgroup v2 mount point: " + m);
    if (!live.userns_clone.empty())
        r.info.push_back("Unprivileged user namespaces (unprivileged_userns_clone): " +
                         live.userns_clone);
    if (!live.max_user_namespaces.empty())
        r.info.push_back("Max user namespaces: " + live.max_user_namespaces);
    for (const auto& w : live.warnings) r.info.push_back("Warning: " + w);
    return r;
}

bool Report::required_missing() const {
    for (const auto& i : items)
        if (i.status == Status::required) return true;
    return false;
}

}  // namespace cnt::checkconfig
