// The steps of a normal user's container that need the container's root: run in a short-lived
// child that is root of a user namespace with the container's maps plus the caller's own
// ids (ns::with_caller), as LXC's lxc-usernsexec does.
#pragma once
#include <functional>
#include <string>
#include <vector>

#include "cnt/config.hpp"
#include "cnt/error.hpp"
#include "cnt/store.hpp"
#include "pty/pty.hpp"

namespace cnt::user {

// Run fn in such a child and wait for it; its result (a text on success) comes back.
Result<std::string> as_container_root(const std::vector<config::IdMap>& maps, const char* what,
                                      const std::function<Result<std::string>()>& fn);

// The id maps a user's container is made with, from the config cnt-create copies (`file`,
// "" when the user has no default.conf): an error saying what to write when it has none, or
// when they are not the user's (/etc/subuid, /etc/subgid).
Result<std::vector<config::IdMap>> maps_for_create(const std::string& file);

// Checked by cnt-start before anything is made: a user's container has maps, they are the
// user's to map, and its networks are `empty` or `none` (a veth goes through cnt-user-nic).
Result<void> check_start(const config::Config& cfg, const std::string& file);

// The console and tty slaves handed to the container's root (root gives them with fchown;
// a user through the container's user namespace).
Result<void> give_ptys(const pty::Ptys& ptys, const std::vector<config::IdMap>& maps);

// How a container's trees are removed by cnt-create's undo and cnt-destroy: for a user, and
// a config (read from p) with id maps, remove_trees; else empty (store::remove_tree).
store::Remover remover_for(const store::Paths& p);

// Remove `paths` (store::remove_tree: no symlink followed, no mount point crossed; those
// are appended to kept) as the container's root: a user's rootfs is owned by its
// subordinate ids.
Result<void> remove_trees(const std::vector<config::IdMap>& maps,
                          const std::vector<std::string>& paths, std::vector<std::string>& kept);

}  // namespace cnt::user
