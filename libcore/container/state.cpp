#include "cnt/state.hpp"

#include <signal.h>
#include <unistd.h>

#include <array>

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

Result<std::optional<RunState>> read(const store::Paths& p) {
    auto text = store::read_file(p.state_file());
    if (!text) {
        if (text.error().err == ENOENT) return std::optional<RunState>{};
        return std::unexpected(text.error());
    }
    auto kv = store::parse_kv(*text);
    RunState s;
    auto num = [&](const char* k) { return kv.count(k) ? std::strtoull(kv[k].c_str(), nullptr, 10) : 0ULL; };
    if (auto st = parse_state(kv["state"])) s.state = *st;
    s.init_pid = static_cast<pid_t>(num("init_pid"));
    s.init_start = num("init_start");
    s.monitor_pid = static_cast<pid_t>(num("monitor_pid"));
    s.monitor_start = num("monitor_start");
    s.config_file = kv["config"];
    for (const auto& [k, v] : kv) {
        if (k.rfind("cgroup.", 0) == 0) s.cgroup[k.substr(7)] = v;
        else if (k.rfind("net.", 0) == 0) s.net[k.substr(4)] = v;
    }
    return std::optional<RunState>(std::move(s));
}

Result<void> write(const store::Paths& p, const RunState& s) {
    store::KeyValues kv;
    kv["state"] = std::string(state_name(s.state));
    kv["init_pid"] = std::to_string(s.init_pid);
    kv["init_start"] = std::to_string(s.init_start);
    kv["monitor_pid"] = std::to_string(s.monitor_pid);
    kv["monitor_start"] = std::to_string(s.monitor_start);
    kv["config"] = s.config_file;
    for (const auto& [k, v] : s.cgroup) kv["cgroup." + k] = v;
    for (const auto& [k, v] : s.net) kv["net." + k] = v;
    CNT_TRY(store::mkdirs(p.run_dir(), 0700));
    return store::write_volatile(p.state_file(), store::format_kv(kv), 0600);
}

void remove(const store::Paths& p) { ::unlink(p.state_file().c_str()); }

}  // namespace runstate
}  // namespace cnt
