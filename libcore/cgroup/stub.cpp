// TEMPORARY stub until libcore/cgroup lands (issue #5).
#include "cnt/cgroup.hpp"

namespace cnt::cgroup {
Result<std::shared_ptr<Driver>> Driver::get() { return error("cgroups: not built yet"); }
}  // namespace cnt::cgroup
