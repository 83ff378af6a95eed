// cnt-unshare and cnt-usernsexec (as lxc-unshare and lxc-usernsexec): run a command in new
// namespaces, or in a new user namespace with given id maps.
#pragma once
#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "cnt/config.hpp"
#include "cnt/error.hpp"

namespace cnt::unshare {

// lxc-unshare's -s: names joined with '|' or ',' (MOUNT PID UTSNAME IPC USER NETWORK CGROUP, any
// case, and the short mnt uts net) to CLONE_NEW* flags.
Result<int> parse_namespaces(std::string_view s);
// lxc-usernsexec's -m: "u:0:100000:65536", "g:...", "b:..." (both) to maps.
Result<std::vector<config::IdMap>> parse_map(std::string_view s);

// lxc-usernsexec's default: the caller's first subordinate uid and gid ranges at 0.
Result<std::vector<config::IdMap>> default_maps();

struct Options {
    int flags = 0;                    // CLONE_NEW*
    std::optional<uid_t> uid;         // -u: the id to run as (in the new user namespace)
    std::string hostname;             // -H (needs UTSNAME)
    bool remount = false;             // -M: a new /proc (and /dev/mqueue) for the new namespaces
    std::vector<config::IdMap> maps;  // USER: the maps (default: the caller as root)
    std::vector<std::string> command;
};
// Runs the command as the child of a new process in the namespaces and returns its exit
// status (128+N for a signal, 127 when it cannot be run).
Result<int> run(const Options& o);

}  // namespace cnt::unshare
