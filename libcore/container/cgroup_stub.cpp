// TEMPORARY stubs until cgroups land (issue #5).
#include "cnt/container.hpp"

namespace cnt {
Result<void> Container::freeze(std::chrono::milliseconds) { return error("freeze: not built yet"); }
Result<void> Container::unfreeze(std::chrono::milliseconds) { return error("unfreeze: not built yet"); }
Result<cgroup::Stats> Container::stats() const { return cgroup::Stats{}; }
}  // namespace cnt
