// Shared between start.cpp (the monitor) and start_init.cpp (the container's init).
#pragma once
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "cnt/cgroup.hpp"
#include "cnt/config.hpp"
#include "cnt/error.hpp"
#include "cnt/security.hpp"
#include "cnt/store.hpp"
#include "dev/dev.hpp"
#include "hooks/hooks.hpp"
#include "ns/share.hpp"

namespace cnt::start {

// Sync stages between the monitor and init over a SOCK_SEQPACKET pair; init's end is
// close-on-exec, so a successful exec reads as EOF in the monitor.
inline constexpr const char* kSetup = "setup";  // monitor -> init: id maps written, cgroups made
inline constexpr const char* kReady = "ready";  // init -> monitor: filesystem done
inline constexpr const char* kExec = "exec";    // monitor -> init: network ready, go
// Errors travel as "error\t<errno>\t<object>\t<step>" (encode_error / decode_error): between
// init and the monitor, and from the monitor to the cnt-start -d that waits for it.

struct InitArgs {
    const config::Config* cfg;
    std::string name;
    std::vector<std::string> argv;  // the command to exec
    int sync = -1;
    int clone_flags = 0;
    const dev::Ptys* ptys;
    security::Seccomp* seccomp = nullptr;
    hooks::Env hook_env;
    bool foreground = false;
    // A sealed copy of cnt-init or cnt-exec (-1: execvp(argv)). cnt-execute runs cnt-init with
    // argv; with exec_through, init runs `cnt-exec --exec SYNC -- argv...` (CVE-2019-5736).
    int exec_fd = -1;
    bool exec_through = false;
    const ns::Shared* shared = nullptr;  // lxc.namespace.share.*: joined first
    bool born_in_v2 = false;             // clone3 placed it in the v2 leaf
    // A user's container: init brings its loopback up itself (a monitor without privilege on
    // the host cannot enter the container's network namespace).
    bool lo_up = false;
    // A user's container with a veth: init sends its user and network namespaces first
    // (kNs), which the monitor cannot open through /proc while init is not dumpable.
    bool send_ns = false;
    // cnt-oci: `ready` runs in init after its own steps, just before kReady (the OCI steps
    // lxc.conf has no key for); `await_start` replaces the wait for kExec (init waits for
    // `cnt-oci start` instead, after the creating process has gone; it may dup2 a new
    // connection onto `sync`, which then gets init's errors and sees its exec as EOF).
    std::function<Result<void>()> ready;
    std::function<Result<void>(int sync)> await_start;
};

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

// Never returns: exec or _exit.
[[noreturn]] void init_main(const InitArgs& a);

// cnt-start's lock: refused at once while a cnt-create holds the container's creation marker
// (instead of waiting for it), and a half container left by a creator that died is removed.
Result<store::Lock> lock_for_start(const store::Paths& p);

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
