#include <signal.h>
#include <unistd.h>

#include <algorithm>
#include <array>
#include <charconv>

#include "cgroup/saved.hpp"
#include "cnt/state.hpp"

namespace cnt {
namespace {
constexpr std::array<std::string_view, 8> kStates = {"STOPPED",  "STARTING", "RUNNING", "STOPPING",
                                                     "ABORTING", "FREEZING", "FROZEN",  "THAWED"};
// The recorded process, and not a zombie (killed, not yet reaped: its namespaces are gone).
bool alive(pid_t pid, unsigned long long start) {
    if (pid <= 0 || start == 0) return false;
    auto st = store::process_stat(pid);
    return st && st->start == start && st->state != 'Z' && st->state != 'X';
}
}  // namespace

std::string_view state_name(State s) { return kStates[static_cast<size_t>(s)]; }

std::optional<State> parse_state(std::string_view s) {
    for (size_t i = 0; i < kStates.size(); ++i)
        if (kStates[i] == s) return static_cast<State>(i);
    return std::nullopt;
}

bool RunState::init_alive() const { return alive(init_pid, init_start); }
bool RunState::monitor_alive() const { return alive(monitor_pid, monitor_start); }

namespace runstate {

namespace {

// A state file holds a few dozen short lines; a bigger one is not ours.
constexpr size_t kMaxStateBytes = 1u << 20;

// The whole value as a number (from_chars alone takes "12abc" as 12).
bool number(std::string_view v, unsigned long long& out) {
    auto r = std::from_chars(v.data(), v.data() + v.size(), out);
    return !v.empty() && r.ec == std::errc{} && r.ptr == v.data() + v.size();
}

}  // namespace

// The keys write() always writes, one bit each in parse().
enum Required : unsigned {
    kState,
    kInitPid,
    kInitStart,
    kMonitorPid,
    kMonitorStart,
    kConfig,
    kCount
};
constexpr std::string_view kRequiredNames[kCount] = {"state",       "init_pid",      "init_start",
                                                     "monitor_pid", "monitor_start", "config"};

// One pass over the lines, straight into the RunState: no map of every key first (the file
// is read by every short tool, and written at each state change). write() always writes
// every plain key, "state" last: one missing means the file was cut short or is not ours.
Result<RunState> parse(std::string_view text) {
    RunState s;
    store::KeyValues cgroup;  // the "cgroup." lines, read as a whole (cgroup/saved.hpp)
    std::string why;
    unsigned seen = 0;
    constexpr unsigned long long kPidMax = 0x7fffffff, kAny = ~0ull;
    auto field = [&](std::string_view v, Required key, unsigned long long max, auto&& set) {
        unsigned long long n = 0;
        if (!number(v, n) || n > max)
            why = cat("bad number \"", kRequiredNames[key], "=", v.substr(0, 40), "\"");
        else
            set(n);
        seen |= 1u << key;
    };
    size_t lines = 0;
    for (std::string_view rest = text; !rest.empty() && why.empty(); ++lines) {
        auto line = rest.substr(0, rest.find('\n'));
        rest.remove_prefix(std::min(rest.size(), line.size() + 1));
        auto eq = line.find('=');
        if (eq == std::string_view::npos) {
            why = cat("line ", lines + 1, " is not key=value");
            break;
        }
        auto k = line.substr(0, eq), v = line.substr(eq + 1);
        // (written sorted, so each map insert lands at its end; a later duplicate wins)
        auto put = [&](store::KeyValues& m, std::string_view key) {
            m.insert_or_assign(m.end(), std::string(key), std::string(v));
        };
        if (k.starts_with("cgroup."))
            put(cgroup, k.substr(7));
        else if (k.starts_with("net."))
            put(s.net, k.substr(4));
        else if (k == "state") {
            auto st = parse_state(v);
            if (!st)
                why = cat("unknown state \"", v.substr(0, 40), "\"");
            else
                s.state = *st;
            seen |= 1u << kState;
        } else if (k == "init_pid") {
            field(v, kInitPid, kPidMax, [&](auto n) { s.init_pid = static_cast<pid_t>(n); });
        } else if (k == "init_start") {
            field(v, kInitStart, kAny, [&](auto n) { s.init_start = n; });
        } else if (k == "monitor_pid") {
            field(v, kMonitorPid, kPidMax, [&](auto n) { s.monitor_pid = static_cast<pid_t>(n); });
        } else if (k == "monitor_start") {
            field(v, kMonitorStart, kAny, [&](auto n) { s.monitor_start = n; });
        } else if (k == "config") {
            s.config_file = std::string(v);
            seen |= 1u << kConfig;
        }
    }
    if (why.empty() && text.find('\0') != std::string_view::npos) why = "NUL byte";
    s.cgroup = cgroup::saved_from_keys(cgroup);
    for (unsigned key = 0; key < kCount && why.empty(); ++key)
        if (!(seen & (1u << key))) why = cat("no ", kRequiredNames[key], "= line");
    if (!why.empty()) return std::unexpected(Error{0, cat("corrupt: ", why), {}});
    return s;
}

Result<std::optional<RunState>> read(const store::Paths& p) { return read_file(p.state_file()); }

Result<std::optional<RunState>> read_file(const std::string& file) {
    auto text = store::read_input(file, kMaxStateBytes);
    if (!text && text.error().err == ENOENT) return std::optional<RunState>{};
    Result<RunState> s = text ? parse(*text) : std::unexpected(std::move(text.error()));
    if (!s) {
        // "state file PATH: corrupt: no init_pid= line", "state file PATH: not a regular file"
        s.error().object = cat("state file ", file);
        return std::unexpected(std::move(s.error()));
    }
    return std::optional<RunState>(std::move(*s));
}

Result<void> write(const store::Paths& p, const RunState& s) {
    // The lines in key order, as format_kv writes them (the same file as before).
    std::string t;
    t.reserve(1024);
    auto line = [&t](std::string_view prefix, std::string_view k, std::string_view v) {
        store::append_kv(t, prefix, k, v);
    };
    for (const auto& [k, v] : cgroup::saved_keys(s.cgroup)) line("cgroup.", k, v);
    line("", "config", s.config_file);
    line("", "init_pid", std::to_string(s.init_pid));
    line("", "init_start", std::to_string(s.init_start));
    line("", "monitor_pid", std::to_string(s.monitor_pid));
    line("", "monitor_start", std::to_string(s.monitor_start));
    for (const auto& [k, v] : s.net) line("net.", k, v);
    line("", "state", state_name(s.state));
    CNT_TRY(store::mkdirs(p.run_dir(), 0700));
    return store::write_volatile(p.state_file(), t, 0600);
}

// With the temporary file of a write of ours that could not remove it (store::write_volatile).
void remove(const store::Paths& p) {
    std::string f = p.state_file();
    ::unlink(f.c_str());
    ::unlink(cat(f, ".tmp.", ::getpid()).c_str());
}

Result<bool> alive(pid_t pid, unsigned long long start, const char* who) {
    if (pid <= 0 || start == 0) return false;
    errno = 0;
    auto st = store::process_stat(pid);
    if (!st && errno != 0 && errno != ENOENT && errno != ESRCH)
        return sys_error(cat("reading /proc/", pid, "/stat (", who, ")"));
    return st && st->start == start && st->state != 'Z' && st->state != 'X';
}

}  // namespace runstate
}  // namespace cnt
