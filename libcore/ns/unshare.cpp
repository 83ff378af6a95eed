#include "cnt/unshare.hpp"

#include <grp.h>
#include <sched.h>
#include <sys/mount.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <cctype>
#include <cstring>

#include "cnt/text.hpp"
#include "ns/userns.hpp"

namespace cnt::unshare {
namespace {

struct Name {
    const char* name;
    int flag;
};
constexpr Name kNames[] = {{"mount", CLONE_NEWNS},  {"mnt", CLONE_NEWNS},
                           {"pid", CLONE_NEWPID},   {"utsname", CLONE_NEWUTS},
                           {"uts", CLONE_NEWUTS},   {"ipc", CLONE_NEWIPC},
                           {"user", CLONE_NEWUSER}, {"network", CLONE_NEWNET},
                           {"net", CLONE_NEWNET},   {"cgroup", CLONE_NEWCGROUP}};

std::string lower(std::string_view s) {
    std::string out(s);
    for (auto& c : out) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
    return out;
}

Result<unsigned long> number(std::string_view s, std::string_view whole) {
    if (s.empty() || s.size() > 10 || !std::all_of(s.begin(), s.end(), ::isdigit))
        return error("invalid map \"", whole, "\": \"", s, "\" is not a number");
    return std::stoul(std::string(s));
}

// In the child: everything after the namespaces exist, then exec. Never returns.
[[noreturn]] void child(const Options& o) {
    auto die = [](const char* what) {
        std::fprintf(stderr, "cnt-unshare: %s: %s\n", what, std::strerror(errno));
        ::_exit(127);
    };
    if ((o.flags & CLONE_NEWNS) && ::mount(nullptr, "/", nullptr, MS_REC | MS_PRIVATE, nullptr))
        die("making the mounts private");
    if (!o.hostname.empty() && ::sethostname(o.hostname.data(), o.hostname.size()) != 0)
        die("setting the hostname");
    if (o.remount && (o.flags & CLONE_NEWNS)) {
        if ((o.flags & CLONE_NEWPID) &&
            ::mount("proc", "/proc", "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, nullptr) != 0)
            die("mounting /proc");
        if ((o.flags & CLONE_NEWIPC)) (void)::mount("mqueue", "/dev/mqueue", "mqueue", 0, nullptr);
    }
    if (o.uid) {
        (void)::setgroups(0, nullptr);  // refused in a user namespace with setgroups "deny"
        if (::setresgid(*o.uid, *o.uid, *o.uid) != 0 || ::setresuid(*o.uid, *o.uid, *o.uid) != 0)
            die("setting the user id");
    }
    std::vector<char*> argv;
    for (const auto& a : o.command) argv.push_back(const_cast<char*>(a.c_str()));
    argv.push_back(nullptr);
    ::execvp(argv[0], argv.data());
    die(o.command[0].c_str());
    ::_exit(127);
}

int status_of(int st) { return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st); }

Result<int> wait_for(pid_t pid) {
    int st = 0;
    while (::waitpid(pid, &st, 0) < 0)
        if (errno != EINTR) return sys_error("waiting for the command");
    return status_of(st);
}

}  // namespace

Result<int> parse_namespaces(std::string_view s) {
    int flags = 0;
    for (auto w : split(s, "|,")) {
        std::string n = lower(w);
        if (n.empty()) continue;
        auto it = std::find_if(std::begin(kNames), std::end(kNames),
                               [&](const Name& x) { return n == x.name; });
        if (it == std::end(kNames)) return error("unknown namespace \"", w, "\"");
        flags |= it->flag;
    }
    if (!flags) return error("no namespace given (-s MOUNT|PID|UTSNAME|IPC|USER|NETWORK)");
    return flags;
}

Result<std::vector<config::IdMap>> parse_map(std::string_view s) {
    auto f = split(s, ":");
    if (f.size() != 4 || f[0].size() != 1 ||
        std::string_view("ugb").find(f[0][0]) == std::string_view::npos)
        return error("invalid map \"", s, "\" (u|g|b:NSID:HOSTID:RANGE expected)");
    CNT_ASSIGN(nsid, number(f[1], s));
    CNT_ASSIGN(host, number(f[2], s));
    CNT_ASSIGN(range, number(f[3], s));
    if (range == 0) return error("invalid map \"", s, "\": empty range");
    std::vector<config::IdMap> out;
    for (char t : {'u', 'g'})
        if (f[0][0] == t || f[0][0] == 'b') out.push_back({t, nsid, host, range, {}});
    return out;
}

Result<std::vector<config::IdMap>> default_maps() {
    std::vector<config::IdMap> maps;
    for (char t : {'u', 'g'}) {
        auto r = ns::sub_ranges(t);
        if (r.empty())
            return error("no -m and no subordinate ", t == 'u' ? "uid" : "gid",
                         " range for the caller (/etc/sub", t == 'u' ? "uid" : "gid", ")");
        maps.push_back({t, 0, r.front().start, r.front().count, {}});
    }
    return maps;
}

Result<int> run(const Options& o) {
    if (o.command.empty()) return error("no command given");
    if (!o.hostname.empty() && !(o.flags & CLONE_NEWUTS))
        return error("-H needs a new UTS namespace (-s UTSNAME)");
    std::vector<config::IdMap> maps = o.maps;
    if ((o.flags & CLONE_NEWUSER) && maps.empty()) {
        // As lxc-unshare: the caller is root in the new user namespace.
        maps.push_back({'u', 0, ::geteuid(), 1, {}});
        maps.push_back({'g', 0, ::getegid(), 1, {}});
    }
    pid_t pid;
    int rest = o.flags & ~CLONE_NEWUSER;
    if (o.flags & CLONE_NEWUSER) {
        CNT_ASSIGN(p, ns::fork_in_userns(maps, "the command"));
        pid = p;
    } else {
        pid = 0;
    }
    if (pid > 0) return wait_for(pid);
    // Here: the command's process (in its user namespace when asked), or the tool itself.
    if (rest && ::unshare(rest) != 0) {
        if (o.flags & CLONE_NEWUSER) {
            std::fprintf(stderr, "cnt-unshare: unsharing: %s\n", std::strerror(errno));
            ::_exit(127);
        }
        return sys_error("unsharing the namespaces");
    }
    // A new pid namespace takes effect for the children: the command runs in a fork.
    pid_t c = ::fork();
    if (c < 0) return sys_error("forking the command");
    if (c == 0) child(o);
    auto r = wait_for(c);
    if (o.flags & CLONE_NEWUSER) ::_exit(r ? *r : 127);
    return r;
}

}  // namespace cnt::unshare
