// An idmapped container's inner cgroups, given to its root (as LXC does): the container's own
// init (systemd) makes its cgroups there; the limits stay in the parent, host root's.
#include <fcntl.h>
#include <unistd.h>

#include "cnt/cgroup.hpp"
#include "cnt/fd.hpp"

namespace cnt::cgroup {

Result<void> give_inner(const std::vector<Placement>& where, uid_t uid, gid_t gid) {
    for (const auto& p : where) {
        // Directories cnt made on a cgroup filesystem (no symlinks there): opened once, and
        // each file changed through that descriptor.
        unique_fd dir(::open(p.path.c_str(), O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC));
        if (!dir) return sys_error(cat("giving \"", p.path, "\" to the container's root"));
        if (::fchown(dir.get(), uid, gid) != 0)
            return sys_error(cat("giving \"", p.path, "\" to the container's root"));
        // What moving processes and enabling controllers below takes; v1 has tasks, cgroup2
        // the two last (a file a hierarchy does not have is skipped).
        for (const char* f : {"cgroup.procs", "tasks", "cgroup.subtree_control", "cgroup.threads"})
            if (::fchownat(dir.get(), f, uid, gid, AT_SYMLINK_NOFOLLOW) != 0 && errno != ENOENT)
                return sys_error(cat("giving \"", p.path, "/", f, "\" to the container's root"));
    }
    return {};
}

}  // namespace cnt::cgroup
