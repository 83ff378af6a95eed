// lxc.mount.auto cgroup forms: what the container sees at /sys/fs/cgroup. Its own cgroup here
// is the inner one (cgroup::Placement::path): the cgroup above it, which holds the limits, is
// not shown (cgroup) or read-only (cgroup-full:mixed, :ro), so nothing mounted here lets the
// container raise them. cgroup-full:rw gives the host's whole hierarchy, as asked.
#include <linux/capability.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include <algorithm>

#include "cnt/store.hpp"
#include "cnt/text.hpp"
#include "rootfs/rootfs.hpp"

namespace cnt::rootfs {

namespace {

using A = config::MountAuto;
constexpr unsigned long kCommon = MS_NOSUID | MS_NODEV | MS_NOEXEC;

// Plain "cgroup"/"cgroup-full": read-write when the container keeps CAP_SYS_ADMIN (it could
// remount them anyway), else mixed.
bool keeps_sys_admin(const config::Caps& c) {
    bool listed = std::find(c.list.begin(), c.list.end(), CAP_SYS_ADMIN) != c.list.end();
    if (c.mode == config::Caps::Mode::drop) return !listed;
    if (c.mode == config::Caps::Mode::keep) return listed;
    return true;
}

Result<void> bind_tree(const std::string& src, const std::string& dst, bool ro) {
    CNT_TRY(store::mkdirs(dst, 0755));
    if (::mount(src.c_str(), dst.c_str(), nullptr, MS_BIND, nullptr) != 0)
        return sys_error(cat("bind-mounting cgroup \"", src, "\" on \"", dst, "\""));
    // A bind mount takes its flags only from a remount of the bind.
    unsigned long f = MS_REMOUNT | MS_BIND | kCommon | (ro ? MS_RDONLY : 0);
    if (::mount(nullptr, dst.c_str(), nullptr, f, nullptr) != 0)
        return sys_error(cat("remounting cgroup \"", dst, "\""));
    return {};
}

// A v1 hierarchy's directory name: its controllers ("cpu,cpuacct"), "name=" dropped.
std::string dir_name(const std::string& label) {
    return label.rfind("name=", 0) == 0 ? label.substr(5) : label;
}

Result<void> mount_cgroup2(const std::string& dst, bool ro, bool force) {
    auto r = store::mkdirs(dst, 0755);
    if (r && ::mount("cgroup2", dst.c_str(), "cgroup2", kCommon | (ro ? MS_RDONLY : 0), nullptr) != 0)
        r = sys_error(cat("mounting cgroup2 on \"", dst, "\""));
    // Without :force a missing cgroup tree is not fatal: the container may mount its own.
    if (!r && force) return r;
    return {};
}

}  // namespace

Result<void> mount_cgroups(const config::Config& cfg, const std::vector<cgroup::Placement>& cg,
                           const std::string& root) {
    const auto& a = cfg.mounts.autos;
    const std::string top = root + "/sys/fs/cgroup";
    if (a.cgroup == A::Cgroup::none) {
        if (a.cgroup2 == A::Cgroup2::none) return {};
        return mount_cgroup2(top, a.cgroup2 == A::Cgroup2::ro, a.cgroup2_force);
    }
    auto form = a.cgroup;
    bool admin = keeps_sys_admin(cfg.security.caps);
    if (form == A::Cgroup::nospec) form = admin ? A::Cgroup::rw : A::Cgroup::mixed;
    if (form == A::Cgroup::full_nospec) form = admin ? A::Cgroup::full_rw : A::Cgroup::full_mixed;
    const bool full = form == A::Cgroup::full_mixed || form == A::Cgroup::full_ro ||
                      form == A::Cgroup::full_rw;
    const bool ro = form == A::Cgroup::ro || form == A::Cgroup::full_ro;
    const bool mixed = form == A::Cgroup::mixed || form == A::Cgroup::full_mixed;

    const bool has_v1 = std::any_of(cg.begin(), cg.end(), [](const auto& p) { return !p.label.empty(); });
    if (!has_v1) {
        // Pure cgroup2: one mount; init's cgroup namespace makes it show the container's subtree.
        return mount_cgroup2(top, ro, a.cgroup_force);
    }

    // v1 / hybrid, as LXC: a tmpfs holding one directory per hierarchy.
    CNT_TRY(store::mkdirs(top, 0755));
    if (::mount("cgroup", top.c_str(), "tmpfs", kCommon, "size=10240k,mode=755") != 0)
        return sys_error(cat("mounting tmpfs on \"", top, "\""));
    for (const auto& p : cg) {
        std::string dst = top + "/" + (p.label.empty() ? std::string("unified") : dir_name(p.label));
        if (!full) {
            // Only the container's inner cgroup, writable unless :ro.
            CNT_TRY(bind_tree(p.path, dst, ro));
        } else {
            // The host's whole hierarchy, read-only unless :rw; :mixed then puts the
            // container's inner cgroup back writable at its place in it (the limits of the
            // cgroup above it stay read-only).
            CNT_TRY(bind_tree(p.mountpoint, dst, !(form == A::Cgroup::full_rw)));
            if (mixed && p.path.size() > p.mountpoint.size())
                CNT_TRY(bind_tree(p.path, dst + p.path.substr(p.mountpoint.size()), false));
        }
        // Co-mounted controllers: "cpu" and "cpuacct" lead to "cpu,cpuacct" (as systemd does).
        if (p.label.find(',') != std::string::npos) {
            for (auto c : split(p.label, ","))
                if (c != p.label) (void)::symlink(dir_name(p.label).c_str(), cat(top, "/", c).c_str());
        }
    }
    // Paths leading to the container's cgroups are plain tmpfs directories: read-only unless rw.
    if (ro || mixed) {
        if (::mount(nullptr, top.c_str(), nullptr, MS_REMOUNT | MS_RDONLY | kCommon,
                    "size=10240k,mode=755") != 0)
            return sys_error(cat("making \"", top, "\" read-only"));
    }
    return {};
}

}  // namespace cnt::rootfs
