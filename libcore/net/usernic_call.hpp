// The start path of a normal user: a veth on a host bridge is made by the setuid helper
// cnt-user-nic (the user has no CAP_NET_ADMIN in the host's network namespace).
#pragma once
#include <sys/types.h>

#include <string>

#include "cnt/config.hpp"
#include "cnt/error.hpp"
#include "net/nl.hpp"

namespace cnt::net {

// True when this process cannot make host interfaces itself: not root, or root of a user
// namespace other than the initial one.
bool needs_user_nic();
// /proc/self/uid_map is the identity map of the initial user namespace.
bool in_initial_userns();
// A socket inside init's netns for a caller that may not setns(2) into it (a normal user):
// through init's user namespace, which the caller owns (nl::Socket::open_in_userns).
Result<nl::Socket> open_inner_as_owner(pid_t init_pid, const unique_fd& netns);
// Run cnt-user-nic for lxc.net `n` of `container` (init `pid`), from a process in the initial
// user namespace (setuid does not apply in another one): the peer arrives in init's
// netns as `inner`, down. Then its MTU and MAC are set from the config through `inner_sock`
// (a socket inside that netns). Returns the host end's name.
Result<std::string> user_nic_veth(const config::Network& n, const std::string& lxcpath,
                                  const std::string& container, pid_t pid, const std::string& inner,
                                  const nl::Socket& inner_sock);

}  // namespace cnt::net
