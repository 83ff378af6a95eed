// TEMPORARY: replaced by the reader and the key registry (issue #2).
#include "cnt/config.hpp"

namespace cnt::config {
bool load_file(const std::string& path, Config&, Diagnostics& d) {
    d.error({path, 0}, "config reader not built yet");
    return false;
}
bool load_string(const std::string&, const std::string& file, Config&, Diagnostics& d) {
    d.error({file, 0}, "config reader not built yet");
    return false;
}
bool set_item(Config&, const std::string&, const std::string&, const Location& w, Diagnostics& d) {
    d.error(w, "config reader not built yet");
    return false;
}
std::optional<std::string> get_item(const Config&, const std::string&) { return std::nullopt; }
Result<MountFields> split_mount_entry(const std::string&) { return error("not built yet"); }
}  // namespace cnt::config
