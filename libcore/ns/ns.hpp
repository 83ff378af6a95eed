// Namespaces: which ones a container gets, cloning init into them, joining them (attach).
#pragma once
#include <sys/types.h>

#include <optional>
#include <string>
#include <vector>

#include "cnt/config.hpp"
#include "cnt/error.hpp"
#include "cnt/fd.hpp"

namespace cnt::ns {

// CLONE_NEW* flags for init: lxc.namespace.clone if set, else mount, pid, uts, ipc, net and
// cgroup (+user when lxc.idmap is set); minus lxc.namespace.keep; net dropped when a network
// has type `none` (init shares the host's stack, as LXC does), minus the shared ones.
int clone_flags(const config::Config& cfg);

struct Child {
    pid_t pid = 0;  // 0 in the child itself
    unique_fd pidfd;
    bool in_cgroup = false;  // born in cgroup_fd (both sides know it)
};
// clone3(): like fork(), the child returns with pid == 0. With cgroup_fd >= 0 the child is born
// inside that cgroup (CLONE_INTO_CGROUP), so it never runs a single instruction outside it.
// what: the child, in the error message ("cloning init (clone3): ...").
Result<Child> clone_child(int flags, int cgroup_fd, const char* what = "init");

// Write /proc/PID/{setgroups,uid_map,gid_map} for a user namespace, from the parent.
Result<void> write_idmaps(pid_t pid, const std::vector<config::IdMap>& maps);

// The host id that id `nsid` of the container maps to (type 'u' or 'g'), if it is mapped.
std::optional<unsigned long> host_id(const std::vector<config::IdMap>& maps, char type,
                                     unsigned long nsid);

// Namespace names as /proc/PID/ns/<name> and their CLONE_NEW* bit.
struct Kind {
    const char* name;
    int flag;
};
const std::vector<Kind>& kinds();

// Whether we share pid's namespace `name` (/proc/PID/ns/<name>); true when it cannot be told.
bool shares(pid_t pid, const char* name);

// Join init's namespaces (the subset `mask`, 0 = every one init does not share with us).
// Pidfd-based setns joins them all at once; a namespace already shared is skipped.
Result<void> join(pid_t pid, int pidfd, int mask);

}  // namespace cnt::ns
