// attach's two sides: what the parent opens before the clone (Target, Terminal) and the
// child that enters the container and execs the command (attach_child.cpp), as init has.
#pragma once
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <termios.h>

#include <memory>
#include <optional>
#include <string>

#include "base/signal_fd.hpp"
#include "cgroup/self_join.hpp"
#include "cnt/cgroup.hpp"
#include "cnt/container.hpp"
#include "cnt/fd.hpp"

namespace cnt::attach {

// What the attached process takes from init: /proc/<init>/status.
struct InitStatus {
    unsigned long long cap_bound = ~0ULL;
    bool no_new_privs = false;
};

// What the attached process enters, read before the clone.
struct Target {
    pid_t init = 0;
    unique_fd pidfd;
    std::optional<cgroup::Group> group;  // none, or -e CGROUP
    InitStatus status;
    std::string seccomp;  // BPF program; "" for none or -e LSM
    bool userns = false;  // joins a user namespace of the container
};

struct Terminal {
    std::optional<winsize> size;
    std::optional<termios> modes;
    unique_fd mine, theirs;  // the master's way back to us
    std::optional<SignalFd> sigs;
};

// A change of uid or gid resets the dumpable flag to fs.suid_dumpable (which may be 1): set it
// again after each one. Non-dumpable, a process can be ptraced, and its /proc/PID/{mem,exe,fd}
// opened, only with CAP_SYS_PTRACE in the host's user namespace, which the container's root
// lacks in an idmapped container.
inline void stay_undumpable() { ::prctl(PR_SET_DUMPABLE, 0, 0, 0, 0); }

// The clone: joins the cgroups then the namespaces, takes the container's restrictions and
// user, forks into the container's pid namespace (a new one applies to children only) and
// waits there for the command. The process the container can see (the fork, until its exec)
// so has no more privileges than the container's root from its first instruction: in a
// privileged container, whose root holds CAP_SYS_PTRACE over the host, non-dumpable alone
// would not keep it from being traced.
[[noreturn]] void attach_child(Target& t, const AttachOptions& o, cgroup::SelfJoin& join,
                               bool in_cgroup, Terminal& term, int err);

}  // namespace cnt::attach
