#include "ns/userns.hpp"

#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <algorithm>
#include <charconv>

#include "cnt/fd.hpp"
#include "cnt/store.hpp"
#include "cnt/sysconf.hpp"
#include "ns/ns.hpp"

namespace cnt::ns {
namespace {

// The fields of a colon-separated line, empty ones included (split() drops them).
std::vector<std::string_view> fields(std::string_view line) {
    std::vector<std::string_view> out;
    for (size_t pos = 0;;) {
        size_t e = line.find(':', pos);
        out.push_back(line.substr(pos, e == std::string_view::npos ? e : e - pos));
        if (e == std::string_view::npos) return out;
        pos = e + 1;
    }
}

bool to_ulong(std::string_view s, unsigned long& out) {
    return !s.empty() && std::from_chars(s.data(), s.data() + s.size(), out).ec == std::errc{};
}

const char* sub_file(char type) { return type == 'u' ? "/etc/subuid" : "/etc/subgid"; }

bool covered(const config::IdMap& m, const std::vector<SubRange>& ranges, unsigned long self) {
    if (m.range == 1 && m.hostid == self) return true;
    return std::any_of(ranges.begin(), ranges.end(), [&](const SubRange& r) {
        return m.hostid >= r.start && m.range <= r.count && m.hostid - r.start <= r.count - m.range;
    });
}

std::string describe(const std::vector<SubRange>& ranges) {
    std::string s;
    for (const auto& r : ranges)
        s += cat(s.empty() ? "" : ", ", r.start, "-", r.start + r.count - 1);
    return s.empty() ? std::string("none") : s;
}

// newuidmap/newgidmap are setuid root and check every range against /etc/subuid|subgid.
std::string find_tool(const char* name) {
    for (const char* dir : {"/usr/bin/", "/bin/", "/usr/sbin/", "/sbin/"}) {
        std::string p = std::string(dir) + name;
        if (::access(p.c_str(), X_OK) == 0) return p;
    }
    return {};
}

Result<void> run_map_tool(const char* tool, char type, pid_t pid,
                          const std::vector<config::IdMap>& maps) {
    std::vector<std::string> args{find_tool(tool), std::to_string(pid)};
    if (args[0].empty())
        return errno_error(ENOENT, cat(tool, " not found: install Debian's uidmap package"));
    for (const auto& m : maps)
        if (m.type == type)
            for (auto v : {m.nsid, m.hostid, m.range}) args.push_back(std::to_string(v));
    if (args.size() == 2) return {};
    std::vector<char*> argv;
    for (auto& a : args) argv.push_back(a.data());
    argv.push_back(nullptr);
    int p[2];
    if (::pipe2(p, O_CLOEXEC) != 0) return sys_error(cat("running ", tool));
    unique_fd rd(p[0]), wr(p[1]);
    pid_t child = ::fork();
    if (child < 0) return sys_error(cat("running ", tool));
    if (child == 0) {
        ::dup2(wr.get(), 2);
        ::execv(argv[0], argv.data());
        ::_exit(127);
    }
    wr.reset();
    auto said = store::read_fd(rd.get());
    int st = 0;
    while (::waitpid(child, &st, 0) < 0 && errno == EINTR) {
    }
    if (WIFEXITED(st) && WEXITSTATUS(st) == 0) return {};
    std::string msg = said ? said->substr(0, 512) : std::string();
    while (!msg.empty() && msg.back() == '\n') msg.pop_back();
    return errno_error(EPERM, cat("writing the ", type == 'u' ? "uid" : "gid", " map of ", pid,
                                  " with ", tool, ": ", msg.empty() ? "failed" : msg));
}

}  // namespace

bool unprivileged() { return ::geteuid() != 0; }

std::vector<SubRange> parse_sub_ranges(std::string_view text, std::string_view name,
                                       std::string_view id) {
    std::vector<SubRange> out;
    for (size_t pos = 0; pos < text.size();) {
        size_t e = text.find('\n', pos);
        if (e == std::string_view::npos) e = text.size();
        auto f = fields(text.substr(pos, e - pos));
        pos = e + 1;
        SubRange r;
        if (f.size() == 3 && (f[0] == id || (!name.empty() && f[0] == name)) &&
            to_ulong(f[1], r.start) && to_ulong(f[2], r.count) && r.count > 0)
            out.push_back(r);
    }
    return out;
}

std::vector<SubRange> sub_ranges(char type) {
    auto text = store::read_input(sub_file(type), 16u << 20);
    if (!text) return {};
    return parse_sub_ranges(*text, sysconf::user_name(::getuid()), std::to_string(::getuid()));
}

const config::IdMap* uncovered(const std::vector<config::IdMap>& maps, char type,
                               const std::vector<SubRange>& ranges, unsigned long self) {
    for (const auto& m : maps)
        if (m.type == type && !covered(m, ranges, self)) return &m;
    return nullptr;
}

Result<void> check_subids(const std::vector<config::IdMap>& maps) {
    for (char type : {'u', 'g'}) {
        auto ranges = sub_ranges(type);
        unsigned long self = type == 'u' ? ::getuid() : ::getgid();
        if (const config::IdMap* bad = uncovered(maps, type, ranges, self)) {
            const auto& m = *bad;
            return error(m.where.str(), ": lxc.idmap = ", m.type, ' ', m.nsid, ' ', m.hostid, ' ',
                         m.range, ": host ids ", m.hostid, "-", m.hostid + m.range - 1,
                         " are not yours to map (", sub_file(type), " gives you ", describe(ranges),
                         ")");
        }
    }
    return {};
}

std::string suggested_idmaps() {
    auto u = sub_ranges('u'), g = sub_ranges('g');
    if (u.empty() || g.empty()) return {};
    return cat("lxc.idmap = u 0 ", u[0].start, ' ', std::min(u[0].count, 65536UL), "\n",
               "lxc.idmap = g 0 ", g[0].start, ' ', std::min(g[0].count, 65536UL), "\n");
}

std::vector<config::IdMap> with_caller(std::vector<config::IdMap> maps) {
    for (char type : {'u', 'g'}) {
        unsigned long self = type == 'u' ? ::getuid() : ::getgid();
        unsigned long free_id = 0;
        bool mapped = false;
        // The first id above every map of this type: free, since maps do not overlap.
        for (const auto& m : maps) {
            if (m.type != type) continue;
            if (self >= m.hostid && self - m.hostid < m.range) mapped = true;
            free_id = std::max(free_id, m.nsid + m.range);
        }
        if (!mapped) maps.push_back(config::IdMap{type, free_id, self, 1, {}});
    }
    return maps;
}

Result<void> write_maps(pid_t pid, const std::vector<config::IdMap>& maps) {
    if (!unprivileged()) return write_idmaps(pid, maps);
    // gid_map first is newgidmap's own order too; neither depends on the other.
    CNT_TRY(run_map_tool("newuidmap", 'u', pid, maps));
    return run_map_tool("newgidmap", 'g', pid, maps);
}

Result<pid_t> fork_in_userns(const std::vector<config::IdMap>& maps, const char* what) {
    int p[2];
    if (::pipe2(p, O_CLOEXEC) != 0) return sys_error(cat("creating the pipe for ", what));
    unique_fd rd(p[0]), wr(p[1]);
    CNT_ASSIGN(child, clone_child(CLONE_NEWUSER, -1, what));
    if (child.pid == 0) {
        wr.reset();
        char go = 0;
        if (::read(rd.get(), &go, 1) != 1 || go != 'g') ::_exit(126);
        if (::setresgid(0, 0, 0) != 0 || ::setresuid(0, 0, 0) != 0) ::_exit(126);
        return 0;
    }
    rd.reset();
    if (auto r = write_maps(child.pid, maps); !r) {
        ::kill(child.pid, SIGKILL);
        while (::waitpid(child.pid, nullptr, 0) < 0 && errno == EINTR) {
        }
        return std::unexpected(std::move(r.error()));
    }
    if (::write(wr.get(), "g", 1) != 1) return sys_error(cat("releasing ", what));
    return child.pid;
}

}  // namespace cnt::ns
