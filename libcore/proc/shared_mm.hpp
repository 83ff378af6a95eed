// A child that takes over the caller's memory instead of a copy of it (clone(2) with CLONE_VM
// and its own stack), for `cnt-start -d`: the tool hands its address space to the monitor and
// exits once the monitor reports, so the monitor starts with every page the tool had mapped.
//
// Why: a fork copies the page tables and then both processes fault again on each page they
// touch (copy-on-write, code refetched); on the VMs cnt is measured on a fault costs about
// 25 us and a fork 0.2-0.9 ms, which made `cnt-start -d` 3.5 ms slower than `-F` before the
// clone of init. See bench/README.md.
//
// The rule that makes sharing safe: while the child lives, the parent runs nothing but the
// raw system calls below (no libc wrapper: those write errno, which both would share).
// What the kernel refuses to a process whose memory another one uses: setns() into a time
// namespace (EUSERS); the caller forks for that.
#pragma once
#include <sys/types.h>

namespace cnt::proc {

// Whether this build can do it (x86-64 and arm64); elsewhere callers fork.
bool can_share_memory();

// Runs fn(arg) in a new process sharing this one's memory, on a fresh 8 MiB stack; fn must end
// with _exit(). The child has its own descriptor table, signal handlers and thread group; its
// exit signal is SIGCHLD. Returns its pid, or -1 with errno.
pid_t clone_sharing_memory(int (*fn)(void*), void* arg);

// System calls that do not touch errno or any other user-space state of the process.
namespace raw {
long read(int fd, void* buf, unsigned long n);
long close(int fd);
long wait4(pid_t pid, int* status);
[[noreturn]] void exit_group(int status);
// Writes "<prog>: <text>" on stderr and exits with `status` (no format, no allocation).
[[noreturn]] void die(int status, const char* prog, const char* text);
}  // namespace raw

}  // namespace cnt::proc
