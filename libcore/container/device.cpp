// Container::device_add / device_del (cnt-device, as lxc-device): a host device node made in
// (or removed from) a running container, and its device cgroup rule.
//
// The node is made through init's root (/proc/PID/root: the container's root in its mount
// namespace, with its /dev mounted), every component resolved inside it (rootfs/resolve), so a
// symlink the container planted on the way never leads out of it. The device rules: a v1
// devices controller gets the one rule written; a cgroup2 device program cannot be amended,
// so it is built again from the config's rules plus every rule added in this run (kept in the
// run dir, tagged with init's start time so that a later run never inherits them).
#include <fcntl.h>
#include <sys/stat.h>
#include <sys/sysmacros.h>
#include <unistd.h>

#include "cgroup/item.hpp"
#include "cnt/cgroup.hpp"
#include "cnt/container.hpp"
#include "cnt/netdev.hpp"
#include "cnt/store.hpp"
#include "cnt/text.hpp"
#include "rootfs/resolve.hpp"

namespace cnt {
namespace {

struct Node {
    mode_t mode;  // type and permissions
    dev_t rdev;
    std::string rule() const {
        return cat(S_ISBLK(mode) ? 'b' : 'c', ' ', major(rdev), ':', minor(rdev), " rwm");
    }
};

Result<Node> host_node(const std::string& path) {
    struct stat st {};
    if (::stat(path.c_str(), &st) != 0) return sys_error(cat("reading \"", path, "\""));
    if (!S_ISCHR(st.st_mode) && !S_ISBLK(st.st_mode))
        return error("\"", path, "\" is not a device node");
    return Node{st.st_mode, st.st_rdev};
}

std::pair<std::string, std::string> split_dest(const std::string& dest) {
    auto slash = dest.rfind('/');
    if (slash == std::string::npos) return {"/", dest};
    return {slash == 0 ? "/" : dest.substr(0, slash), dest.substr(slash + 1)};
}

// The host uid and gid of the container's root (0 unless it has a user namespace).
std::pair<uid_t, gid_t> root_ids(pid_t pid) {
    auto first = [&](const char* file) -> unsigned {
        auto t = store::read_file(cat("/proc/", pid, "/", file));
        if (!t) return 0;
        for (auto line : split(*t, "\n")) {
            auto w = words(line);
            if (w.size() == 3 && w[0] == "0") return unsigned(std::stoul(std::string(w[1])));
        }
        return 0;
    };
    return {first("uid_map"), first("gid_map")};
}

std::string added_file(const store::Paths& p) { return p.run_dir() + "/devices"; }

// The rules added in this run (init's start time), with `rule` added or removed.
Result<std::vector<std::string>> update_added(const store::Paths& p, const RunState& rs,
                                              const std::string& rule, bool add) {
    std::vector<std::string> rules;
    std::string tag = std::to_string(rs.init_start) + " ";
    if (auto t = store::read_file(added_file(p)))
        for (auto line : split(*t, "\n"))
            if (line.starts_with(tag) && line.substr(tag.size()) != rule)
                rules.emplace_back(line.substr(tag.size()));
    if (add) rules.push_back(rule);
    std::string text;
    for (const auto& r : rules) text += tag + r + "\n";
    CNT_TRY(store::write_atomic(added_file(p), text, 0600));
    return rules;
}

}  // namespace

Result<void> Container::device_rule(const RunState& rs, const std::string& rule, bool allow) {
    auto dirs = cgroup::saved_dirs(rs.cgroup);
    CNT_ASSIGN(added, update_added(paths_, rs, rule, allow));
    CNT_ASSIGN(cfg, load_config(rs.config_file));
    config::CgroupSettings s;
    auto devices = [](const std::vector<config::CgroupEntry>& in) {
        std::vector<config::CgroupEntry> out;
        for (const auto& e : in)
            if (e.key == "devices.allow" || e.key == "devices.deny") out.push_back(e);
        return out;
    };
    s.v1 = devices(cfg.cgroup.v1);
    s.v2 = devices(cfg.cgroup.v2);
    // The v1 file takes the one rule; a cgroup2 program is rebuilt whole.
    if (!dirs.v1_for("devices").empty() && s.v2.empty()) {
        s.v1 = {{allow ? "devices.allow" : "devices.deny", rule, {}}};
    } else {
        s.v1.clear();
        for (const auto& r : added) s.v2.push_back({"devices.allow", r, {}});
        if (!allow) s.v2.push_back({"devices.deny", rule, {}});
    }
    CNT_ASSIGN(g, cgroup::Group::reopen(rs.cgroup));
    return g.apply(s);
}

Result<void> Container::device_add(const std::string& host_path, const std::string& dest_in) {
    CNT_ASSIGN(lock, store::Lock::acquire(paths_));
    auto rs = run_state();
    if (!rs || !rs->init_alive()) return std::unexpected(Error{0, "is not running", name()});
    // A name without '/' that is an interface of this netns: a network device, as lxc-device.
    if (host_path.find('/') == std::string::npos && net::is_interface(host_path))
        return net::hand_in(rs->init_pid, host_path, dest_in);
    CNT_ASSIGN(node, host_node(host_path));
    std::string dest = dest_in.empty() ? host_path : dest_in;
    unique_fd root(
        ::open(cat("/proc/", rs->init_pid, "/root").c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
    if (!root) return sys_error("opening the container's root");
    if (!rs->init_alive()) return std::unexpected(Error{0, "is not running", name()});
    auto [dir, base] = split_dest(dest);
    if (base.empty() || base == "." || base == "..")
        return error("invalid destination \"", dest, "\"");
    CNT_ASSIGN(parent, rootfs::mkdir_in_root(root.get(), dir));
    struct stat st {};
    if (::fstatat(parent.get(), base.c_str(), &st, AT_SYMLINK_NOFOLLOW) == 0)
        return errno_error(EEXIST, cat("making ", rootfs::in_root(dest), " in the container"));
    CNT_TRY(device_rule(*rs, node.rule(), true));
    if (::mknodat(parent.get(), base.c_str(), node.mode, node.rdev) != 0)
        return sys_error(cat("making ", rootfs::in_root(dest), " in the container"));
    auto [uid, gid] = root_ids(rs->init_pid);
    if (::fchownat(parent.get(), base.c_str(), uid, gid, AT_SYMLINK_NOFOLLOW) != 0)
        return sys_error(cat("chown of ", rootfs::in_root(dest)));
    return {};
}

Result<void> Container::device_del(const std::string& host_path, const std::string& dest_in) {
    CNT_ASSIGN(lock, store::Lock::acquire(paths_));
    auto rs = run_state();
    if (!rs || !rs->init_alive()) return std::unexpected(Error{0, "is not running", name()});
    if (host_path.find('/') == std::string::npos)
        return net::take_back(rs->init_pid, dest_in.empty() ? host_path : dest_in, host_path);
    CNT_ASSIGN(node, host_node(host_path));
    std::string dest = dest_in.empty() ? host_path : dest_in;
    unique_fd root(
        ::open(cat("/proc/", rs->init_pid, "/root").c_str(), O_PATH | O_DIRECTORY | O_CLOEXEC));
    if (!root) return sys_error("opening the container's root");
    auto [dir, base] = split_dest(dest);
    CNT_ASSIGN(parent, rootfs::open_in_root(root.get(), dir, O_PATH | O_DIRECTORY));
    // Only the node that was handed in: never another file the container put there.
    struct stat st {};
    if (::fstatat(parent.get(), base.c_str(), &st, AT_SYMLINK_NOFOLLOW) != 0)
        return sys_error(cat("reading ", rootfs::in_root(dest), " in the container"));
    if ((st.st_mode & S_IFMT) != (node.mode & S_IFMT) || st.st_rdev != node.rdev)
        return error(rootfs::in_root(dest), " in the container is not ", host_path);
    CNT_TRY(device_rule(*rs, node.rule(), false));
    if (::unlinkat(parent.get(), base.c_str(), 0) != 0)
        return sys_error(cat("removing ", rootfs::in_root(dest), " in the container"));
    return {};
}

}  // namespace cnt
