// /dev for the container, and the ptys behind its console and ttys (masters stay in the monitor).
#pragma once
#include <string>
#include <vector>

#include "cnt/config.hpp"
#include "cnt/error.hpp"
#include "cnt/fd.hpp"

namespace cnt::dev {

struct Pty {
    unique_fd master;
    std::string slave;  // /dev/pts/N in the monitor's (host's) devpts
};
struct Ptys {
    Pty console;            // master invalid when lxc.console.path = none
    std::vector<Pty> ttys;  // lxc.tty.max of them: /dev/tty1..N
};
// Allocate the console (unless disabled) and tty ptys in the host's devpts. `raw`: the console
// line discipline does no translation (output forwarded to a non-terminal).
Result<Ptys> allocate(const config::Config& cfg, bool raw_console);

// Give the console and tty slaves to the container's root (host ids `uid`, `gid`): in a user
// namespace they are otherwise host root's, which the container's root cannot open.
Result<void> give_ptys(const Ptys& ptys, uid_t uid, gid_t gid);

// In init, before pivot_root, with `root` the mounted rootfs's descriptor: tmpfs /dev (when
// autodev), device nodes, devpts newinstance with max = pty.max, ptmx, ttys and console
// bind-mounted from the slaves, standard symlinks. Every path is resolved inside the rootfs
// (a rootfs whose /dev is a symlink gets its devices where the link leads in the rootfs).
// `premade`: with autodev, the /dev tmpfs the monitor made (premade_autodev) to attach.
Result<void> setup(const config::Config& cfg, int root, const Ptys& ptys,
                   unique_fd premade = unique_fd());

// In the monitor, for autodev in a user namespace, where init may not mknod: the /dev tmpfs,
// detached, with the standard nodes made (the host's own devices, so the device cgroup still
// rules them) and, with its links and directories, owned by the container's root (host ids
// `uid`, `gid`): bind mounts of the host's nodes would be host root's, "nobody" inside.
Result<unique_fd> premade_autodev(const config::Config& cfg, uid_t uid, gid_t gid);

// In init after pivot_root: /dev/console on stdio, in a session of init's own.
Result<void> attach_console();

// Copy the window size of terminal `from` to pty master `to`.
void copy_winsize(int from, int to);

// Write all of buf (blocking semantics, EINTR/EAGAIN retried by poll). false on error.
bool write_all(int fd, const char* buf, size_t n);

}  // namespace cnt::dev
