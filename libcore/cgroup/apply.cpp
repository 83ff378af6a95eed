#include <fcntl.h>

#include "cgroup/fsio.hpp"
#include "cgroup/group.hpp"

namespace cnt::cgroup {

Result<void> FsGroup::write_entry(const Dir& d, const std::string& file, const std::string& value,
                                  const std::string& key, const config::Location& where) {
    if (int e = write_at(AT_FDCWD, d.path + "/" + file, value))
        return std::unexpected(Error{e, cat(key, " = ", value, ": writing ", d.path, "/", file), where.str()});
    return {};
}

Result<void> FsGroup::apply(const config::CgroupSettings& s) {
    for (const auto& e : s.v1) {
        auto ctrl = e.key.substr(0, e.key.find('.'));
        const Dir* d = v1(ctrl);
        if (!d)
            return std::unexpected(Error{ENOENT, cat("lxc.cgroup.", e.key, ": no cgroup v1 hierarchy has the ", ctrl, " controller"), e.where.str()});
        CNT_TRY(write_entry(*d, e.key, e.value, "lxc.cgroup." + e.key, e.where));
    }
    for (const auto& e : s.v2) {
        if (!v2_)
            return std::unexpected(Error{ENOENT, cat("lxc.cgroup2.", e.key, ": no cgroup2 hierarchy"), e.where.str()});
        CNT_TRY(write_entry(*v2_, e.key, e.value, "lxc.cgroup2." + e.key, e.where));
    }
    return {};
}

}  // namespace cnt::cgroup
