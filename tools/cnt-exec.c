/* cnt-exec --exec FD [--] COMMAND [ARG]...: exec COMMAND in place (a PATH search as execvp).
 *
 * Every container's init execs its command through a sealed memfd copy of this binary, so
 * that a `#!/proc/self/exe` command (or one whose ELF interpreter is /proc/self/exe) finds the
 * copy and never the host's cnt-start that init was cloned from (CVE-2019-5736). The monitor
 * copies it at every start, so it is as small as a program can be: no C library, a few
 * kilobytes (cnt-init, which does the same with `--exec`, is 0.7 MB of static glibc and cost
 * 1 ms per start to copy and run). FD is init's sync socket: a failed exec is reported there
 * as the monitor expects it ("error\tERRNO\t\texecuting \"COMMAND\""), then exit 127; with
 * FD -1 the message goes to stderr. x86-64 and arm64; elsewhere cnt uses cnt-init --exec. */
#include <asm/unistd.h>

#if defined(__x86_64__)
__asm__(
    ".globl _start\n_start:\n\txor %rbp, %rbp\n\tmov %rsp, %rdi\n\tand $-16, %rsp\n"
    "\tcall start_c\n\thlt\n");
static long sys3(long n, long a, long b, long c) {
    long r;
    __asm__ volatile("syscall" : "=a"(r) : "a"(n), "D"(a), "S"(b), "d"(c) : "rcx", "r11", "memory");
    return r;
}
#elif defined(__aarch64__)
__asm__(".globl _start\n_start:\n\tmov x0, sp\n\tbl start_c\n");
static long sys3(long n, long a, long b, long c) {
    register long x8 __asm__("x8") = n, x0 __asm__("x0") = a, x1 __asm__("x1") = b,
                     x2 __asm__("x2") = c;
    __asm__ volatile("svc 0" : "+r"(x0) : "r"(x8), "r"(x1), "r"(x2) : "memory");
    return x0;
}
#else
#error "cnt-exec: x86-64 and arm64 only (elsewhere cnt execs through cnt-init --exec)"
#endif

enum { kENOENT = 2, kENOTDIR = 20, kEACCES = 13, kPath = 4096 };

static unsigned len(const char* s) {
    unsigned n = 0;
    while (s[n]) n++;
    return n;
}
static int starts(const char* s, const char* p) {
    while (*p)
        if (*s++ != *p++) return 0;
    return 1;
}
static int has_slash(const char* s) {
    for (; *s; s++)
        if (*s == '/') return 1;
    return 0;
}
/* Appends s to buf at *at (bounded); returns 0 when it did not fit. */
static int put(char* buf, unsigned* at, const char* s, unsigned n) {
    if (*at + n >= kPath) return 0;
    for (unsigned i = 0; i < n; i++) buf[(*at)++] = s[i];
    buf[*at] = 0;
    return 1;
}
static void putnum(char* buf, unsigned* at, long v) {
    char d[24];
    int n = 0;
    do d[n++] = (char)('0' + v % 10);
    while ((v /= 10) && n < 23);
    while (n) put(buf, at, &d[--n], 1);
}

/* execvp's search: a name without '/' is tried in each PATH directory; EACCES is reported
 * when no directory had it executable, as execvp does. Returns the errno of the failure. */
static long run(char** argv, char** envp) {
    const char *cmd = argv[0],
               *path = "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin";
    if (has_slash(cmd)) return -sys3(__NR_execve, (long)cmd, (long)argv, (long)envp);
    for (char** e = envp; *e; e++)
        if (starts(*e, "PATH=")) path = *e + 5;
    long err = kENOENT;
    int denied = 0;
    char buf[kPath];
    for (const char* p = path;; p++) {
        const char* end = p;
        while (*end && *end != ':') end++;
        unsigned at = 0;
        buf[0] = 0;
        if (end == p ? put(buf, &at, ".", 1) : put(buf, &at, p, (unsigned)(end - p)))
            if (put(buf, &at, "/", 1) && put(buf, &at, cmd, len(cmd))) {
                err = -sys3(__NR_execve, (long)buf, (long)argv, (long)envp);
                if (err == kEACCES)
                    denied = 1;
                else if (err != kENOENT && err != kENOTDIR)
                    return err;
            }
        if (!*end) break;
        p = end;
    }
    return denied ? kEACCES : err;
}

static long to_int(const char* s) {
    long v = 0, sign = 1;
    if (*s == '-') sign = -1, s++;
    while (*s >= '0' && *s <= '9') v = v * 10 + (*s++ - '0');
    return sign * v;
}

__attribute__((used, noreturn)) void start_c(long* sp) {
    int argc = (int)sp[0];
    char **argv = (char**)(sp + 1), **envp = argv + argc + 1;
    int first = 3;
    if (argc < 4 || !starts(argv[1], "--exec") || argv[1][6]) {
        static const char usage[] = "usage: cnt-exec --exec FD [--] COMMAND [ARG]...\n";
        int help = argc > 1 && starts(argv[1], "--help") && !argv[1][6];
        sys3(__NR_write, help ? 1 : 2, (long)usage, sizeof usage - 1);
        sys3(__NR_exit, help ? 0 : 1, 0, 0);
    }
    long fd = to_int(argv[2]);
    /* The sync socket outlives this exec only: the monitor waits for its end to close at the
     * command's exec (EOF), as it does for init's own.
     * A socket left open through the exec would keep the monitor waiting: that is an error. */
    long err = fd >= 0 ? -sys3(__NR_fcntl, fd, 2 /* F_SETFD */, 1 /* FD_CLOEXEC */) : 0;
    const char* step =
        err ? "marking the sync socket close-on-exec before executing \"" : "executing \"";
    if (starts(argv[3], "--") && !argv[3][2]) first = 4;
    if (first >= argc) sys3(__NR_exit, 1, 0, 0);
    if (!err) err = run(argv + first, envp);
    char m[kPath];
    unsigned at = 0;
    if (fd >= 0) {
        put(m, &at, "error\t", 6);
        putnum(m, &at, err);
        put(m, &at, "\t\t", 2);
    } else {
        put(m, &at, "cnt-exec: ", 10);
    }
    put(m, &at, step, len(step));
    put(m, &at, argv[first], len(argv[first]) < 1024 ? len(argv[first]) : 1024);
    put(m, &at, "\"", 1);
    if (fd < 0) {
        put(m, &at, ": errno ", 8);
        putnum(m, &at, err);
        put(m, &at, "\n", 1);
    }
    sys3(__NR_write, fd >= 0 ? fd : 2, (long)m, at);
    sys3(__NR_exit, 127, 0, 0);
    for (;;) {
    }
}
