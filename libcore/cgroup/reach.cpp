// cgroup hierarchies that are not mounted here but are in init's mount namespace. `ip netns
// exec NS cmd` gives cmd a mount namespace with a fresh sysfs on /sys, which hides the tmpfs
// at /sys/fs/cgroup and every hierarchy below it; LXC starts there all the same. The
// hierarchies are still the host's (cgroup mounts are not per network namespace), so mounting
// them again in a private mount namespace shows the same directories at the same paths, and
// the paths recorded in the run state stay valid for the tools run from the host.
#include <sched.h>
#include <sys/mount.h>
#include <sys/stat.h>

#include <algorithm>
#include <optional>

#include "cgroup/layout.hpp"
#include "cnt/log.hpp"
#include "cnt/store.hpp"

namespace cnt::cgroup {
namespace {

bool is_cgroup(const MountLine& m) { return m.fstype == "cgroup" || m.fstype == "cgroup2"; }

bool below(const std::string& path, const std::string& dir) {
    return dir == "/" || path.starts_with(dir + "/");
}

// Per-mount flags of a mountinfo line ("rw,nosuid,nodev,noexec,relatime").
unsigned long mount_flags(const std::string& opts) {
    unsigned long f = 0;
    size_t pos = 0;
    while (pos <= opts.size()) {
        size_t e = std::min(opts.find(',', pos), opts.size());
        std::string_view o(opts.data() + pos, e - pos);
        if (o == "ro") f |= MS_RDONLY;
        if (o == "nosuid") f |= MS_NOSUID;
        if (o == "nodev") f |= MS_NODEV;
        if (o == "noexec") f |= MS_NOEXEC;
        pos = e + 1;
    }
    return f;
}

// The superblock options without rw/ro (those are mount flags).
std::string fs_data(const std::string& superopts) {
    std::string out;
    size_t pos = 0;
    while (pos <= superopts.size()) {
        size_t e = std::min(superopts.find(',', pos), superopts.size());
        std::string o = superopts.substr(pos, e - pos);
        if (!o.empty() && o != "rw" && o != "ro") out += (out.empty() ? "" : ",") + o;
        pos = e + 1;
    }
    return out;
}

Result<void> make_dirs(const std::string& path) {
    for (size_t pos = 1; pos <= path.size(); ++pos) {
        if (pos != path.size() && path[pos] != '/') continue;
        if (::mkdir(path.substr(0, pos).c_str(), 0755) != 0 && errno != EEXIST)
            return sys_error(cat("creating \"", path.substr(0, pos), "\""));
    }
    return {};
}

std::vector<MountLine> parse_all(std::string_view text) {
    std::vector<MountLine> all;
    size_t pos = 0;
    while (pos < text.size()) {
        size_t e = text.find('\n', pos);
        if (e == std::string_view::npos) e = text.size();
        if (auto m = parse_mountinfo_line(text.substr(pos, e - pos))) all.push_back(*m);
        pos = e + 1;
    }
    return all;
}

// Init's paths mean the same here only if both see the same filesystem at "/" (not chrooted).
// /proc/1/root itself may be out of reach (ptrace rules), its mountinfo is not.
bool same_root(std::string_view init_mountinfo, std::string_view own_mountinfo) {
    auto top = [](std::string_view text) -> std::optional<MountLine> {
        std::optional<MountLine> last;
        for (auto& m : parse_all(text))
            if (m.mountpoint == "/") last = m;
        return last;
    };
    auto a = top(init_mountinfo), b = top(own_mountinfo);
    return a && b && a->dev == b->dev && a->root == b->root;
}

}  // namespace

std::vector<MountLine> host_hierarchy_mounts(std::string_view init_mountinfo) {
    std::vector<MountLine> all = parse_all(init_mountinfo), cg;
    for (const auto& m : all)
        if (is_cgroup(m)) {
            if (m.root != "/") return {};
            cg.push_back(m);
        }
    std::vector<MountLine> out;
    for (const auto& m : all) {
        bool holder = !is_cgroup(m) && m.mountpoint.starts_with("/sys/fs/cgroup") &&
                      std::any_of(cg.begin(), cg.end(), [&](const MountLine& c) {
                          return below(c.mountpoint, m.mountpoint);
                      });
        if (is_cgroup(m) || holder) out.push_back(m);
    }
    return out;
}

Result<bool> reach_host_hierarchies() {
    auto mi = store::read_file("/proc/1/mountinfo");
    auto own = store::read_file("/proc/self/mountinfo");
    if (!mi || !own || !same_root(*mi, *own)) return false;
    auto mounts = host_hierarchy_mounts(*mi);
    if (mounts.empty()) return false;
    if (::unshare(CLONE_NEWNS) != 0)
        return sys_error("unsharing the mount namespace to mount the host's cgroups");
    if (::mount(nullptr, "/", nullptr, MS_REC | MS_SLAVE, nullptr) != 0)
        return sys_error("making the mounts of the new mount namespace slaves");
    for (const auto& m : mounts) {
        CNT_TRY(make_dirs(m.mountpoint));
        std::string data = fs_data(m.superopts);
        if (::mount(m.fstype.c_str(), m.mountpoint.c_str(), m.fstype.c_str(), mount_flags(m.opts),
                    data.empty() ? nullptr : data.c_str()) != 0)
            return sys_error(cat("mounting the host's ", m.fstype, " on \"", m.mountpoint, "\""));
    }
    log::info("cgroup hierarchies mounted again in a private mount namespace");
    return true;
}

}  // namespace cnt::cgroup
