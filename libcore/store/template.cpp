// Finding cnt-create's templates.
#include <unistd.h>

#include "cnt/store.hpp"
#include "cnt/sysconf.hpp"

namespace cnt::store {

Result<std::string> template_path(const std::string& t) {
    if (t.empty()) return error("no template given");
    std::string path = t.find('/') != std::string::npos ? t : sysconf::template_dir() + "/cnt-" + t;
    if (::access(path.c_str(), F_OK) != 0)
        return sys_error(cat("template \"", t, "\" not found (looked for \"", path, "\")"));
    if (::access(path.c_str(), X_OK) != 0)
        return sys_error(cat("template \"", path, "\" is not executable"));
    return path;
}

}  // namespace cnt::store
