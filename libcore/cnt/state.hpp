// Container states (LXC's names) and the run-state file every tool reads.
#pragma once
#include <sys/types.h>

#include <optional>
#include <string>
#include <string_view>

#include "cnt/cgroup.hpp"
#include "cnt/error.hpp"
#include "cnt/store.hpp"

namespace cnt {

enum class State { stopped, starting, running, stopping, aborting, freezing, frozen, thawed };
std::string_view state_name(State s);                  // "RUNNING"
std::optional<State> parse_state(std::string_view s);  // exact, case-sensitive (as lxc-wait)

// <run_dir>/state, written atomically by the monitor (and by cnt-start before it):
//   state=RUNNING  init_pid=..  init_start=..  monitor_pid=..  monitor_start=..
//   config=<file loaded>  cgroup.<k>=<v> (cgroup::Group::save)  net.<k>=<v> (net::Attached)
struct RunState {
    State state = State::stopped;
    pid_t init_pid = 0;
    unsigned long long init_start = 0;
    pid_t monitor_pid = 0;
    unsigned long long monitor_start = 0;
    std::string config_file;
    cgroup::Saved cgroup;  // "cgroup.<k>=<v>" lines (cgroup/saved.hpp)
    store::KeyValues net;  // without the "net." prefix

    // Init still exists with the recorded start time (a reused pid is not the container).
    bool init_alive() const;
    bool monitor_alive() const;
};

namespace runstate {
// nullopt: no state file (never started or cleanly stopped). A state file that is not a
// regular file, bigger than 1 MiB or not as write() makes it (every plain key present once
// at least, numbers whole) is an error: "state file PATH: corrupt: WHY".
Result<std::optional<RunState>> read(const store::Paths& p);
// read() of a given file (tests).
Result<std::optional<RunState>> read_file(const std::string& file);
// The text of a state file (what read() checks), for read() and the fuzzer.
Result<RunState> parse(std::string_view text);
Result<void> write(const store::Paths& p, const RunState& s);
void remove(const store::Paths& p);
// Whether the recorded process (`who`: "init", "the monitor") still runs, as
// RunState::init_alive, but a /proc/PID/stat that cannot be read (EMFILE, ENOMEM, EIO) is an
// error: a running container is never taken for a stopped one.
Result<bool> alive(pid_t pid, unsigned long long start, const char* who);
}  // namespace runstate

}  // namespace cnt
