// Shared between start.cpp (the monitor) and start_init.cpp (the container's init).
#pragma once
#include <functional>
#include <optional>
#include <string>
#include <vector>

#include "cnt/bdev.hpp"
#include "cnt/cgroup.hpp"
#include "cnt/config.hpp"
#include "cnt/error.hpp"
#include "cnt/security.hpp"
#include "cnt/store.hpp"
#include "container/sync.hpp"
#include "hooks/hooks.hpp"
#include "ns/share.hpp"
#include "pty/pty.hpp"

namespace cnt::start {

struct InitArgs {
    const config::Config* cfg;
    std::string name;
    std::vector<std::string> argv;  // the command to exec
    int sync = -1;
    int clone_flags = 0;
    const pty::Ptys* ptys;
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
    // The rootfs's backing store, parsed once (rootfs::parse_store), and the rootfs as a
    // detached mount (rootfs::open_store), or -1.
    std::optional<bdev::Spec> store;
    int store_root = -1;
    // cnt-oci: `ready` runs in init after its own steps, just before kReady (the OCI steps
    // lxc.conf has no key for); `await_start` replaces the wait for kExec (init waits for
    // `cnt-oci start` instead, after the creating process has gone; it may dup2 a new
    // connection onto `sync`, which then gets init's errors and sees its exec as EOF).
    std::function<Result<void>()> ready;
    std::function<Result<void>(int sync)> await_start;
};

// Never returns: exec or _exit.
[[noreturn]] void init_main(const InitArgs& a);

// cnt-start's lock: refused at once while a cnt-create holds the container's creation marker
// (instead of waiting for it), and a half container left by a creator that died is removed.
Result<store::Lock> lock_for_start(const store::Paths& p);

}  // namespace cnt::start
