#include "cnt/state.hpp"

#include <signal.h>
#include <unistd.h>

#include <array>
#include <charconv>

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

// One pass over the lines, straight into the RunState: no map of every key first (the file
// is read by every short tool, and written at each state change).
Result<std::optional<RunState>> read(const store::Paths& p) {
    auto text = store::read_file(p.state_file());
    if (!text) {
        if (text.error().err == ENOENT) return std::optional<RunState>{};
        return std::unexpected(text.error());
    }
    RunState s;
    auto num = [](std::string_view v) {
        unsigned long long n = 0;
        std::from_chars(v.data(), v.data() + v.size(), n);
        return n;
    };
    store::for_each_kv(*text, [&](std::string_view k, std::string_view v) {
        // (written sorted, so each map insert lands at its end; a later duplicate wins)
        auto put = [&](store::KeyValues& m, std::string_view key) {
            m.insert_or_assign(m.end(), std::string(key), std::string(v));
        };
        if (k.starts_with("cgroup.")) put(s.cgroup, k.substr(7));
        else if (k.starts_with("net.")) put(s.net, k.substr(4));
        else if (k == "state") {
            if (auto st = parse_state(v)) s.state = *st;
        } else if (k == "init_pid") s.init_pid = static_cast<pid_t>(num(v));
        else if (k == "init_start") s.init_start = num(v);
        else if (k == "monitor_pid") s.monitor_pid = static_cast<pid_t>(num(v));
        else if (k == "monitor_start") s.monitor_start = num(v);
        else if (k == "config") s.config_file = std::string(v);
    });
    return std::optional<RunState>(std::move(s));
}

Result<void> write(const store::Paths& p, const RunState& s) {
    // The lines in key order, as format_kv writes them (the same file as before).
    std::string t;
    t.reserve(1024);
    auto line = [&t](std::string_view prefix, std::string_view k, std::string_view v) {
        store::append_kv(t, prefix, k, v);
    };
    for (const auto& [k, v] : s.cgroup) line("cgroup.", k, v);
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
