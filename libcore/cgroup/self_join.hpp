// cgroup::SelfJoin: the descriptors a new process joins a container's cgroups through
// (internal to libcore: start's init, attach's child, the sync protocol that carries them).
#pragma once
#include <string>
#include <vector>

#include "cnt/cgroup.hpp"
#include "cnt/error.hpp"
#include "cnt/fd.hpp"

namespace cnt::cgroup {

// How a new process joins a container's cgroups by itself: opened by the parent, before the
// fork or clone (the child inherits the files) or after it (they are sent to the child, as
// start::Setup does for init), used by the child while it is still single-threaded. A pid
// written into a cgroup.procs file takes the kernel's system-wide lock against forks and
// exits, and the first taker of that lock after a quiet spell waits for an RCU grace period
// (5-22 ms measured on the bench VM, more than the whole rest of a start) unless the host
// mounts its cgroups with favordynmods. "0" written into a v1 `tasks` file moves the calling
// thread alone, which the kernel does without that lock (since 6.0); in the v2 tree the
// child is born in the leaf instead (clone3 with CLONE_INTO_CGROUP, Group::clone_fd). See
// bench/README.md, "cold starts".
struct SelfJoin {
    struct File {
        unique_fd fd;
        std::string dir;  // the cgroup, for messages
    };
    std::vector<File> v1;  // each hierarchy's <dir>/tasks
    File v2;               // the v2 leaf's cgroup.procs (no fd: no v2 leaf)
    // In the child. born_in_v2: clone3 placed it in the leaf already; otherwise (a plain fork
    // or clone(2)) it writes itself into the leaf's cgroup.procs, and takes the lock.
    Result<void> join(bool born_in_v2) const;
};

}  // namespace cnt::cgroup
