// lxc.mount.auto cgroup forms: what the container sees at /sys/fs/cgroup. Its own cgroup here
// is the inner one (cgroup::Placement::path): the cgroup above it, which holds the limits, is
// not shown (cgroup) or read-only (cgroup-full:mixed, :ro), so nothing mounted here lets the
// container raise them. cgroup-full:rw gives the host's whole hierarchy, as asked.
#include <fcntl.h>
#include <linux/capability.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>

#include "cnt/text.hpp"
#include "rootfs/resolve.hpp"
#include "rootfs/rootfs.hpp"

namespace cnt::rootfs {

namespace {

using A = config::MountAuto;
constexpr unsigned kCommon = MOUNT_ATTR_NOSUID | MOUNT_ATTR_NODEV | MOUNT_ATTR_NOEXEC;

// Plain "cgroup"/"cgroup-full": read-write when the container keeps CAP_SYS_ADMIN (it could
// remount them anyway), else mixed.
bool keeps_sys_admin(const config::Caps& c) {
    bool listed = std::find(c.list.begin(), c.list.end(), CAP_SYS_ADMIN) != c.list.end();
    if (c.mode == config::Caps::Mode::drop) return !listed;
    if (c.mode == config::Caps::Mode::keep) return listed;
    return true;
}

// A host cgroup directory (the monitor's placement: never the container's to choose) bound
// on `dst`, with its flags before it is attached.
Result<void> bind_tree(const std::string& src, int dst, const std::string& shown, bool ro) {
    Attrs a{kCommon | (ro ? MOUNT_ATTR_RDONLY : 0u), 0};
    CNT_TRY(bind(AT_FDCWD, src, dst, false, a,
                 cat("bind-mounting cgroup \"", src, "\" on \"", shown, "\"")));
    return {};
}

// A v1 hierarchy's directory name: its controllers ("cpu,cpuacct"), "name=" dropped.
std::string dir_name(const std::string& label) {
    return label.rfind("name=", 0) == 0 ? label.substr(5) : label;
}

Result<void> mount_cgroup2(int root, const char* top, bool ro, bool force) {
    auto dir = mkdir_in_root(root, top);
    Result<unique_fd> r =
        dir ? new_mount("cgroup2", "cgroup2", "", kCommon | (ro ? MOUNT_ATTR_RDONLY : 0u),
                        dir->get(), cat("mounting cgroup2 on \"", top, "\""))
            : std::unexpected(std::move(dir.error()));
    // Without :force a missing cgroup tree is not fatal: the container may mount its own.
    if (!r && force) return std::unexpected(std::move(r.error()));
    return {};
}

// One hierarchy in the tmpfs `tmp` (at `top` in the container): its directory, the binds the
// form asks for, the co-mount symlinks. Everything below `tmp` is ours: a fresh tmpfs, then
// the host's cgroup tree (where the container cannot make symlinks).
Result<void> mount_hierarchy(int tmp, const char* top, const cgroup::Placement& p, A::Cgroup form) {
    const bool full =
        form == A::Cgroup::full_mixed || form == A::Cgroup::full_ro || form == A::Cgroup::full_rw;
    const bool ro = form == A::Cgroup::ro || form == A::Cgroup::full_ro;
    const bool mixed = form == A::Cgroup::mixed || form == A::Cgroup::full_mixed;
    std::string name = p.label.empty() ? std::string("unified") : dir_name(p.label);
    std::string shown = cat(top, "/", name);
    if (::mkdirat(tmp, name.c_str(), 0755) != 0 && errno != EEXIST)
        return sys_error(cat("creating \"", shown, "\""));
    CNT_ASSIGN(dst, open_in_root(tmp, name, O_PATH | O_DIRECTORY));
    if (!full) {
        // Only the container's inner cgroup, writable unless :ro.
        CNT_TRY(bind_tree(p.path, dst.get(), shown, ro));
    } else {
        // The host's whole hierarchy, read-only unless :rw; :mixed then puts the
        // container's inner cgroup back writable at its place in it (the limits of the
        // cgroup above it stay read-only).
        CNT_TRY(bind_tree(p.mountpoint, dst.get(), shown, form != A::Cgroup::full_rw));
        if (mixed && p.path.size() > p.mountpoint.size()) {
            std::string rel = name + p.path.substr(p.mountpoint.size());
            CNT_ASSIGN(own, open_in_root(tmp, rel, O_PATH | O_DIRECTORY));
            CNT_TRY(bind_tree(p.path, own.get(), cat(top, "/", rel), false));
        }
    }
    // Co-mounted controllers: "cpu" and "cpuacct" lead to "cpu,cpuacct" (as systemd does).
    if (p.label.find(',') != std::string::npos) {
        for (auto c : split(p.label, ","))
            if (c != p.label) (void)::symlinkat(name.c_str(), tmp, std::string(c).c_str());
    }
    return {};
}

}  // namespace

Result<void> mount_cgroups(const config::Config& cfg, const std::vector<cgroup::Placement>& cg,
                           int root) {
    const auto& a = cfg.mounts.autos;
    const char* top = "/sys/fs/cgroup";
    if (a.cgroup == A::Cgroup::none) {
        if (a.cgroup2 == A::Cgroup2::none) return {};
        return mount_cgroup2(root, top, a.cgroup2 == A::Cgroup2::ro, a.cgroup2_force);
    }
    auto form = a.cgroup;
    bool admin = keeps_sys_admin(cfg.security.caps);
    if (form == A::Cgroup::nospec) form = admin ? A::Cgroup::rw : A::Cgroup::mixed;
    if (form == A::Cgroup::full_nospec) form = admin ? A::Cgroup::full_rw : A::Cgroup::full_mixed;
    const bool ro_or_mixed = form != A::Cgroup::rw && form != A::Cgroup::full_rw;

    const bool has_v1 =
        std::any_of(cg.begin(), cg.end(), [](const auto& p) { return !p.label.empty(); });
    if (!has_v1) {
        // Pure cgroup2: one mount; init's cgroup namespace makes it show the container's subtree.
        return mount_cgroup2(root, top, form == A::Cgroup::ro || form == A::Cgroup::full_ro,
                             a.cgroup_force);
    }

    // v1 / hybrid, as LXC: a tmpfs holding one directory per hierarchy, filled through the
    // mount's own descriptor.
    CNT_ASSIGN(dir, mkdir_in_root(root, top));
    CNT_ASSIGN(tmp, new_mount("tmpfs", "cgroup", "size=10240k,mode=755", kCommon, dir.get(),
                              cat("mounting tmpfs on \"", top, "\"")));
    for (const auto& p : cg) CNT_TRY(mount_hierarchy(tmp.get(), top, p, form));
    // Paths leading to the container's cgroups are plain tmpfs directories: read-only unless rw.
    if (ro_or_mixed) {
        auto r = set_attrs(tmp.get(), {MOUNT_ATTR_RDONLY, 0});
        if (!r) return sys_error(cat("making \"", top, "\" read-only"), r.error().err);
    }
    return {};
}

}  // namespace cnt::rootfs
