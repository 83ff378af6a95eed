// The monitor <-> init sync protocol: stages and errors over a SOCK_SEQPACKET pair, and the
// descriptors the monitor hands init. Both sides (start.cpp, start_init.cpp) include it; the
// error format is also how attach's child reports to its parent.
#pragma once
#include <optional>
#include <string>
#include <vector>

#include "cgroup/self_join.hpp"
#include "cnt/cgroup.hpp"
#include "cnt/error.hpp"
#include "cnt/fd.hpp"

namespace cnt::start {

// Sync stages between the monitor and init over a SOCK_SEQPACKET pair; init's end is
// close-on-exec, so a successful exec reads as EOF in the monitor.
inline constexpr const char* kSetup = "setup";  // monitor -> init: id maps written, cgroups made
inline constexpr const char* kReady = "ready";  // init -> monitor: filesystem done
inline constexpr const char* kExec = "exec";    // monitor -> init: network ready, go
// Errors travel as "error\t<errno>\t<object>\t<step>" (encode_error / decode_error): between
// init and the monitor, and from the monitor to the cnt-start -d that waits for it.

// init -> monitor, first of all when InitArgs::send_ns: its user and network namespaces.
inline constexpr const char* kNs = "ns";
Result<void> send_ns(int fd);
struct NsFds {
    unique_fd user, net;
};
Result<NsFds> recv_ns(int fd);

// kSetup carries init's cgroups, made by the monitor while init builds its filesystem: the
// files init joins them through (cgroup::SelfJoin; SCM_RIGHTS, each v1 hierarchy's tasks then
// the v2 leaf's cgroup.procs) and, for lxc.mount.auto's cgroup forms, where they sit.
// With a rootfs its user namespace cannot own (rootfs::needs_idmapped_mount), it also carries
// the rootfs as a detached idmapped mount, made by the monitor once the id maps exist; init
// stacks it on its rootfs bind. With autodev in a user namespace, the /dev tmpfs likewise.
struct Setup {
    cgroup::SelfJoin join;
    std::vector<cgroup::Placement> cgroups;
    unique_fd rootfs;  // the idmapped rootfs mount, or none
    unique_fd dev;     // autodev in a user namespace: the /dev tmpfs (dev::premade_autodev)
};
Result<void> send_setup(int fd, const Setup& s);
// A received error message turns into its Error; EOF into "the other side exited".
Result<Setup> recv_setup(int fd);

Result<void> send_msg(int fd, const std::string& m);
// flags: recv(2)'s (MSG_DONTWAIT). Reads past the ECONNRESET of a peer that has exited.
Result<std::string> recv_msg(int fd, const char* waiting_for, int flags = 0);
// When a monitor step fails because init has already died: init's error if it sent one
// (it sends before exiting), else the step's own.
Error init_error_or(int fd, Error fallback);
Result<void> send_error(int fd, const Error& e);
std::string encode_error(const Error& e);
std::optional<Error> decode_error(const std::string& m);  // nullopt: not an error message
// A received message: an error message turns into its Error.
Result<void> expect(int fd, const char* what);

}  // namespace cnt::start
