// pidfd_open(2) and pidfd_send_signal(2), which glibc 2.36 does not wrap everywhere.
#pragma once
#include <sys/syscall.h>
#include <sys/types.h>
#include <unistd.h>

#include "cnt/fd.hpp"

namespace cnt {

// A pidfd for pid; an empty one (errno set) when the process is gone or pidfds are missing.
inline unique_fd pidfd_open(pid_t pid) {
    return unique_fd(static_cast<int>(::syscall(SYS_pidfd_open, pid, 0)));
}

// kill(2) through a pidfd (sig 0: is it still there?); 0 or -1 with errno.
inline int pidfd_signal(borrowed_fd pidfd, int sig) {
    return static_cast<int>(::syscall(SYS_pidfd_send_signal, pidfd.get(), sig, nullptr, 0));
}

}  // namespace cnt
