// /dev for the container: autodev, device nodes, devpts, and the console and ttys (the ptys the
// monitor allocated, pty/) bound in.
#pragma once
#include <sys/types.h>

#include "cnt/config.hpp"
#include "cnt/error.hpp"
#include "cnt/fd.hpp"
#include "pty/pty.hpp"

namespace cnt::dev {

// In init, before pivot_root, with `root` the mounted rootfs's descriptor: tmpfs /dev (when
// autodev), device nodes, devpts newinstance with max = pty.max, ptmx, ttys and console
// bind-mounted from the slaves, standard symlinks. Every path is resolved inside the rootfs
// (a rootfs whose /dev is a symlink gets its devices where the link leads in the rootfs).
// `premade`: with autodev, the /dev tmpfs the monitor made (premade_autodev) to attach.
Result<void> setup(const config::Config& cfg, int root, const pty::Ptys& ptys,
                   unique_fd premade = unique_fd());

// In the monitor, for autodev in a user namespace, where init may not mknod: the /dev tmpfs,
// detached, with the standard nodes made (the host's own devices, so the device cgroup still
// rules them) and, with its links and directories, owned by the container's root (host ids
// `uid`, `gid`): bind mounts of the host's nodes would be host root's, "nobody" inside.
Result<unique_fd> premade_autodev(const config::Config& cfg, uid_t uid, gid_t gid);

// In init after pivot_root: /dev/console on stdio, in a session of init's own.
Result<void> attach_console();

}  // namespace cnt::dev
