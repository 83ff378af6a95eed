// What the container's init does for OCI beyond lxc.conf's steps (in init, after pivot_root):
// device nodes, masked and read-only paths, propagation, umask, domainname, personality, the
// environment exactly as process.env; then it waits for `cnt-oci start`.
#pragma once
#include "cnt/error.hpp"
#include "cnt/oci.hpp"

namespace cnt::oci {

// Before kReady (errors go to `create`).
Result<void> init_ready(const Spec& s);
// Accept `start` on `listener` (a listening SOCK_SEQPACKET socket), take its connection as the
// sync socket (dup2 onto `sync`), run startContainer hooks; then init goes on to exec.
Result<void> init_await_start(const Spec& s, int listener, int sync);

// The start socket's message: "start\t<state json>".
inline constexpr const char* kStartMsg = "start";

}  // namespace cnt::oci
