#include "container/user.hpp"

#include <fcntl.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <unistd.h>

#include <charconv>

#include "cnt/fd.hpp"
#include "cnt/store.hpp"
#include "cnt/sysconf.hpp"
#include "cnt/text.hpp"
#include "ns/ns.hpp"
#include "ns/userns.hpp"

namespace cnt::user {
namespace {

// What a user's default.conf needs, spelled out (the error of a create without maps).
std::string how_to_map(const std::string& problem) {
    std::string maps = ns::suggested_idmaps();
    if (maps.empty())
        return cat(problem,
                   "; and you have no range in /etc/subuid and /etc/subgid: ask root "
                   "to add one (usermod --add-subuids/--add-subgids)");
    std::string common = CNT_PREFIX "/share/cnt/config/common.conf";
    for (const char* rel : {"/../config/common.conf", "/../share/cnt/config/common.conf"})
        if (char buf[PATH_MAX]; ::realpath((sysconf::exe_dir() + rel).c_str(), buf)) {
            common = buf;
            break;
        }
    return cat(problem, "; write ", sysconf::user_config_dir(), "/default.conf with:\n",
               "lxc.include = ", common, "\nlxc.net.0.type = empty\n", maps);
}

// The child's outcome on the pipe: "o" + text, or "e" + errno + '\t' + message.
[[noreturn]] void finish(int fd, const Result<std::string>& r) {
    std::string m = r ? "o" + *r : cat("e", r.error().err, '\t', r.error().message());
    (void)!::write(fd, m.data(), m.size());
    ::_exit(r ? 0 : 1);
}

}  // namespace

Result<std::string> as_container_root(const std::vector<config::IdMap>& maps, const char* what,
                                      const std::function<Result<std::string>()>& fn) {
    int p[2];
    if (::pipe2(p, O_CLOEXEC) != 0) return sys_error(cat("creating the pipe for ", what));
    unique_fd rd(p[0]), wr(p[1]);
    CNT_ASSIGN(pid, ns::fork_in_userns(ns::with_caller(maps), what));
    if (pid == 0) {
        rd.reset();
        finish(wr.get(), fn());
    }
    wr.reset();
    auto said = store::read_fd(rd.get());
    int st = 0;
    while (::waitpid(pid, &st, 0) < 0 && errno == EINTR) {
    }
    std::string m = said ? *said : std::string();
    if (WIFEXITED(st) && WEXITSTATUS(st) == 0 && !m.empty() && m[0] == 'o') return m.substr(1);
    if (m.size() > 1 && m[0] == 'e') {
        int err = 0;
        auto tab = m.find('\t');
        std::from_chars(m.data() + 1, m.data() + std::min(tab, m.size()), err);
        return errno_error(err ? err : EIO, tab == std::string::npos ? m : m.substr(tab + 1));
    }
    return errno_error(EIO, cat(what, " as the container's root failed"));
}

Result<std::vector<config::IdMap>> maps_for_create(const std::string& file) {
    if (file.empty())
        return error(how_to_map(cat("no ", sysconf::user_config_dir(),
                                    "/default.conf: a "
                                    "user's container needs lxc.idmap lines")));
    config::Config cfg;
    config::Diagnostics d;
    if (!config::load_file(file, cfg, d)) return error("reading \"", file, "\" failed");
    if (cfg.ns.idmaps.empty())
        return error(how_to_map(cat(file, ": no lxc.idmap: a user's container needs them")));
    CNT_TRY(ns::check_subids(cfg.ns.idmaps));
    return cfg.ns.idmaps;
}

Result<void> check_start(const config::Config& cfg, const std::string& file) {
    for (const auto& n : cfg.networks) {
        // A veth on a host bridge comes from cnt-user-nic, within /etc/cnt/cnt-usernet.
        if (n.type == config::NetType::veth && n.link.empty())
            return error(n.where.str(), ": lxc.net.", n.index,
                         ".type = veth: a user's veth needs a host bridge (lxc.net.", n.index,
                         ".link) granted in /etc/cnt/cnt-usernet");
        if (n.type != config::NetType::empty && n.type != config::NetType::none &&
            n.type != config::NetType::veth)
            return error(n.where.str(), ": lxc.net.", n.index,
                         ".type: a container started by a user other than root has only "
                         "`empty`, `none` and `veth` (through cnt-user-nic) networks");
        // sysfs belongs to a network namespace: the host's is not the user namespace's.
        if (n.type == config::NetType::none && cfg.mounts.autos.sys != config::MountAuto::Sys::none)
            return error(n.where.str(), ": lxc.net.", n.index,
                         ".type = none: a user's container cannot mount /sys (lxc.mount.auto "
                         "sys) in the host's network namespace; use `empty`, or drop sys from "
                         "lxc.mount.auto");
    }
    if (cfg.ns.idmaps.empty())
        return error(file,
                     ": no lxc.idmap: a container started by a user other than root needs "
                     "its user's subordinate ids (/etc/subuid, /etc/subgid) mapped");
    return ns::check_subids(cfg.ns.idmaps);
}

Result<void> give_ptys(const pty::Ptys& ptys, const std::vector<config::IdMap>& maps) {
    if (!ptys.console.master && ptys.ttys.empty()) return {};
    // The tty group (5) where the container has it, else its root group.
    gid_t gid = ns::host_id(maps, 'g', 5) ? 5 : 0;
    if (!ns::unprivileged()) {
        auto uid = ns::host_id(maps, 'u', 0);
        auto hgid = ns::host_id(maps, 'g', gid);
        if (!uid || !hgid) return {};
        return pty::give_ptys(ptys, static_cast<uid_t>(*uid), static_cast<gid_t>(*hgid));
    }
    if (!ns::host_id(maps, 'u', 0) || !ns::host_id(maps, 'g', gid)) return {};
    // The caller owns the slaves (mapped in the helper's namespace): its root may give them.
    auto r = as_container_root(maps, "giving the ptys", [&]() -> Result<std::string> {
        CNT_TRY(pty::give_ptys(ptys, 0, gid));
        return std::string();
    });
    if (!r) return std::unexpected(std::move(r.error()));
    return {};
}

store::Remover remover_for(const store::Paths& p) {
    if (!ns::unprivileged()) return {};
    config::Config cfg;
    config::Diagnostics d;
    if (!config::load_file(p.config(), cfg, d) || cfg.ns.idmaps.empty()) return {};
    return [maps = cfg.ns.idmaps](const std::string& path, std::vector<std::string>& kept) {
        return remove_trees(maps, {path}, kept);
    };
}

Result<void> remove_trees(const std::vector<config::IdMap>& maps,
                          const std::vector<std::string>& paths, std::vector<std::string>& kept) {
    auto r = as_container_root(maps, "removing the rootfs", [&]() -> Result<std::string> {
        std::vector<std::string> mine;
        std::optional<Error> first;
        for (const auto& p : paths)
            if (auto t = store::remove_tree(p, mine); !t && !first) first = t.error();
        if (first) return std::unexpected(std::move(*first));
        std::string out;
        for (const auto& k : mine) out += k + '\n';
        return out;
    });
    if (!r) return std::unexpected(std::move(r.error()));
    for (auto k : split(*r, "\n")) kept.emplace_back(k);
    return {};
}

}  // namespace cnt::user
