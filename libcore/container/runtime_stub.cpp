// TEMPORARY stub until the config reader lands (issue #2).
#include "cnt/container.hpp"

namespace cnt {
Result<config::Config> Container::load_config(const std::string&, const std::vector<std::string>&,
                                              config::Diagnostics*) const {
    return error("load_config: not built yet");
}
}  // namespace cnt
