// The config of a copied, renamed or restored container: LXC's rewrite (lxc-copy).
#pragma once
#include <optional>
#include <string>

namespace cnt::clone {

struct Rewrite {
    std::string old_dir, new_dir;  // <lxcpath>/<name> of the source and of the copy
    std::string new_name;
    std::optional<std::string> rootfs;  // the new lxc.rootfs.path value; nullopt: rewrite paths
    bool keep_name = false;             // keep lxc.uts.name
    bool keep_mac = false;              // keep every hwaddr
};

// The source config's lines verbatim, except: the rootfs line replaced (appended at the end),
// lxc.uts.name set to the new name (appended) unless keep_name, each hwaddr a fresh
// 00:16:3e:xx:xx:xx unless keep_mac, and paths in old_dir (lxc.mount.fstab, lxc.mount.entry,
// hooks, log files) moved into new_dir.
std::string rewrite(const std::string& text, const Rewrite& r);

}  // namespace cnt::clone
