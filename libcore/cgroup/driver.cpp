#include <sys/stat.h>
#include <unistd.h>

#include <mutex>
#include <optional>

#include "cgroup/group.hpp"
#include "cgroup/layout.hpp"
#include "cnt/cgroup.hpp"

namespace cnt::cgroup {
namespace {

// The directory of a container, relative to the caller's cgroup in each hierarchy (on a pure
// cgroup2 host, to the nearest ancestor that can delegate controllers; see Group::Dirs::make).
Result<std::string> relative_dir(const std::string& container, const config::CgroupSettings& s) {
    std::string rel;
    if (!s.dir_container.empty()) {
        rel = s.dir_container;
    } else if (!s.dir.empty()) {
        rel = s.dir + "/cnt.payload." + container;
    } else {
        rel = "cnt.payload." + container;
    }
    // The config reader validates these keys; a path escaping the caller's cgroup is refused
    // here too because it would make us create (and later remove) foreign cgroups.
    if (rel.front() == '/' || rel == ".." || rel.rfind("../", 0) == 0 ||
        rel.find("/../") != std::string::npos || (rel.size() >= 3 && rel.ends_with("/..")))
        return errno_error(EINVAL,
                           cat("cgroup directory \"", rel, "\" leaves the caller's cgroup"));
    return rel;
}

// The inner cgroup's name (see Group). LXC makes one only when lxc.cgroup.dir.container.inner
// is set; cnt always does, so that no container can raise its own limits. A dot name: hidden
// from a plain ls of the host's tree, and short (".lxc" is LXC's attach leaf).
std::string inner_name(const config::CgroupSettings& s) {
    if (s.dir_container_inner.empty()) return ".cnt";
    return s.dir_container_inner;
}

// The host's hierarchies, probed once per process (a user's: its delegations).
Result<const Layout*> host_layout() {
    static std::mutex mu;
    static std::optional<Layout> cached;
    std::lock_guard lock(mu);
    if (cached) return &*cached;
    CNT_ASSIGN(l, probe());
    if (::geteuid() != 0) CNT_TRY(use_delegation(l));
    if (l.kind() == "none") return errno_error(ENOENT, "no cgroup filesystem is mounted");
    cached = std::move(l);
    return &*cached;
}

}  // namespace

Result<Group> Group::begin(const std::string& container, const config::CgroupSettings& s) {
    CNT_ASSIGN(l, host_layout());
    CNT_ASSIGN(rel, relative_dir(container, s));
    return Dirs::make(*l, rel, inner_name(s), s.relative);
}

Result<Group> Group::create(const std::string& container, const config::CgroupSettings& s) {
    CNT_ASSIGN(g, begin(container, s));
    if (auto r = g.complete(s); !r) {
        (void)g.destroy();
        return std::unexpected(std::move(r.error()));
    }
    return g;
}

Result<Group> Group::reopen(const Saved& saved) { return Dirs::open(saved); }

Result<Saved> find_saved(const std::string& container, const config::CgroupSettings& s) {
    CNT_ASSIGN(l, probe());
    if (::geteuid() != 0) CNT_TRY(use_delegation(l));
    CNT_ASSIGN(rel, relative_dir(container, s));
    auto is_dir = [](const std::string& p) {
        struct stat st {};
        return ::stat(p.c_str(), &st) == 0 && S_ISDIR(st.st_mode);
    };
    Saved found{std::string(l.kind()), inner_name(s), {}, {}, {}};
    for (const auto& h : l.v1) {
        std::string path = h.own_dir() + "/" + rel;
        // Only the container's own directory is its top: its parents may be shared.
        if (is_dir(path)) found.v1.push_back({h.label(), path, path});
    }
    // cgroup2: below the caller's cgroup or one of its ancestors (see Group::Dirs::make).
    for (std::string base = l.v2 ? l.v2->own_dir() : std::string(); !base.empty();) {
        if (is_dir(base + "/" + rel)) {
            found.v2 = found.v2_top = base + "/" + rel;
            break;
        }
        if (base.size() <= l.v2->mountpoint.size()) break;
        base.resize(base.rfind('/'));
    }
    if (found.empty()) return Saved{};
    return found;
}

}  // namespace cnt::cgroup
