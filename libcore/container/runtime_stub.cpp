// TEMPORARY stubs until the runtime lands (issue #4) and cgroups (issue #5).
#include "cnt/container.hpp"

namespace cnt {
Result<void> Container::start(const StartOptions&) { return error("start: not built yet"); }
Result<StopOutcome> Container::stop(const StopOptions&) { return StopOutcome::not_running; }
State Container::state() const { return State::stopped; }
pid_t Container::init_pid() const { return 0; }
Result<std::vector<pid_t>> Container::processes() const { return std::vector<pid_t>{}; }
std::optional<RunState> Container::run_state() const { return std::nullopt; }
Result<int> Container::attach(const AttachOptions&) { return error("attach: not built yet"); }
}  // namespace cnt
