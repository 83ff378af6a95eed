#include "proc/shared_mm.hpp"

#include <sched.h>
#include <signal.h>
#include <sys/mman.h>
#include <sys/syscall.h>

#include <cerrno>

namespace cnt::proc {

namespace {
#if defined(__x86_64__)
constexpr bool kRaw = true;
long sys(long n, long a, long b, long c, long d) {
    long ret;
    register long r10 asm("r10") = d;
    asm volatile("syscall"
                 : "=a"(ret)
                 : "a"(n), "D"(a), "S"(b), "d"(c), "r"(r10)
                 : "rcx", "r11", "memory");
    return ret;
}
#elif defined(__aarch64__)
constexpr bool kRaw = true;
long sys(long n, long a, long b, long c, long d) {
    register long x8 asm("x8") = n;
    register long x0 asm("x0") = a;
    register long x1 asm("x1") = b;
    register long x2 asm("x2") = c;
    register long x3 asm("x3") = d;
    asm volatile("svc 0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2), "r"(x3) : "memory");
    return x0;
}
#else
constexpr bool kRaw = false;
long sys(long, long, long, long, long) { return -ENOSYS; }
#endif
}  // namespace

bool can_share_memory() { return kRaw; }

pid_t clone_sharing_memory(int (*fn)(void*), void* arg) {
    if (!kRaw) {
        errno = ENOSYS;
        return -1;
    }
    constexpr size_t kStack = 8u << 20;
    void* stack = ::mmap(nullptr, kStack, PROT_READ | PROT_WRITE,
                         MAP_PRIVATE | MAP_ANONYMOUS | MAP_STACK | MAP_NORESERVE, -1, 0);
    if (stack == MAP_FAILED) return -1;
    ::mprotect(stack, 4096, PROT_NONE);  // a guard page below the stack
    pid_t pid = ::clone(fn, static_cast<char*>(stack) + kStack, CLONE_VM | SIGCHLD, arg);
    if (pid < 0) {
        int e = errno;
        ::munmap(stack, kStack);
        errno = e;
    }
    // On success the stack is the child's for good: it runs the monitor until it exits.
    return pid;
}

namespace raw {
long read(int fd, void* buf, unsigned long n) {
    long r;
    do r = sys(SYS_read, fd, reinterpret_cast<long>(buf), static_cast<long>(n), 0);
    while (r == -EINTR);
    return r;
}
long close(int fd) { return sys(SYS_close, fd, 0, 0, 0); }
long wait4(pid_t pid, int* status) {
    long r;
    do r = sys(SYS_wait4, pid, reinterpret_cast<long>(status), 0, 0);
    while (r == -EINTR);
    return r;
}
void exit_group(int status) {
    for (;;) sys(SYS_exit_group, status, 0, 0, 0);
}
void die(int status, const char* prog, const char* text) {
    auto put = [](const char* t) {
        unsigned long n = 0;
        while (t[n]) ++n;
        sys(SYS_write, 2, reinterpret_cast<long>(t), static_cast<long>(n), 0);
    };
    put(prog);
    put(": ");
    put(text);
    exit_group(status);
}
}  // namespace raw

}  // namespace cnt::proc
