/* The kernel's part of `cnt-start -F` of the bench container, with nothing else: a floor for
 * "as fast as the kernel allows". It does the system calls a start of that container cannot
 * avoid, in the order cnt does them, from a small static C program:
 *   - a cgroup in every mounted hierarchy, below the caller's own, and its inner cgroup
 *     (".cnt", where cnt's containers live: see libcore/cgroup/README.md; v1 cpuset: cpus
 *     and mems copied from the parent), init born in the inner cgroup2 one
 *     (CLONE_INTO_CGROUP, the two directories made before the clone). The v1 directories
 *     are made after the clone, while init builds its filesystem; their inner `tasks` files
 *     go to init over a socketpair
 *     (SCM_RIGHTS) and init writes "0" into each once its root is pivoted, as cnt's init does
 *     (no system-wide cgroup lock, see cgroup::SelfJoin and start::Setup);
 *   - clone3 with new mount, uts, ipc, pid and net namespaces; loopback up;
 *   - the rootfs bind-mounted, /proc (+ /proc/sys read-only), /sys read-only, a /dev tmpfs with
 *     the six standard nodes, four links and devpts, pivot_root and the old root detached;
 *   - the hardening defaults' kernel work (config/common.conf, proc:mixed, sys:ro): the masked
 *     and read-only /proc paths and /sys/firmware, a cgroup2 device program of the default
 *     device list (loaded and attached by the parent after the clone), and a seccomp filter
 *     of the default denylist's size loaded by init before exec;
 *   - a cgroup namespace, the hostname, exec of the command; the parent waits and removes
 *     the cgroups.
 * No config file, no run state, no log, no lock, no tty, no error reporting beyond a message.
 * Not installed; built as bin/cnt-kfloor for bench/run.sh.
 *
 *   cnt-kfloor ROOTFS NAME COMMAND [ARG...]
 *       as cnt-start -F: returns when COMMAND has exited and the cgroups are removed.
 *   cnt-kfloor -d PIDFILE ROOTFS NAME COMMAND [ARG...]
 *       as cnt-start -d: a monitor (forked, its own session) does the above and the caller
 *       returns once COMMAND was executed (init's close-on-exec pipe) and PIDFILE written
 *       ("INIT MONITOR", by rename); the monitor removes the cgroups and PIDFILE at the end.
 *   cnt-kfloor --stop PIDFILE
 *       as cnt-stop -k: SIGKILL to init through a pidfd, then wait for the monitor's exit.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <linux/bpf.h>
#include <linux/filter.h>
#include <linux/sched.h>
#include <linux/seccomp.h>
#include <net/if.h>
#include <poll.h>
#include <sched.h>
#include <signal.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/syscall.h>
#include <sys/sysmacros.h>
#include <sys/wait.h>
#include <unistd.h>

#define MAXH 16
static char dirs[MAXH][512];  /* the cgroups made; dirs[ndirs-1] is the v2 one when v2fd >= 0 */
static char inner[MAXH][520]; /* dirs[i]/.cnt: where init lives */
static int ndirs;
static char parents[MAXH][400]; /* a v1 dir's parent, for its cpuset files */
static int cpuset[MAXH];        /* dirs[i] is a v1 cpuset */
static int nv1;                 /* dirs[0..nv1) are v1 ones, made by make_v1 after the clone */
static int v2fd = -1;

static void die(const char* what) {
    fprintf(stderr, "cnt-kfloor: %s: %s\n", what, strerror(errno));
    _exit(1);
}

static int write_file(const char* path, const char* s) {
    int fd = open(path, O_WRONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    ssize_t n = write(fd, s, strlen(s));
    close(fd);
    return n < 0 ? -1 : 0;
}

static ssize_t read_file(const char* path, char* buf, size_t size) {
    int fd = open(path, O_RDONLY | O_CLOEXEC);
    if (fd < 0) return -1;
    ssize_t n = read(fd, buf, size - 1);
    close(fd);
    if (n >= 0) buf[n] = 0;
    return n;
}

/* The caller's path in the hierarchy whose controller list (v1) is `ctrl`, "" for cgroup2. */
static const char* own_path(const char* self, const char* ctrl, char* out, size_t size) {
    const char* p = self;
    while (*p) {
        const char *c1 = strchr(p, ':'), *c2 = c1 ? strchr(c1 + 1, ':') : NULL;
        const char* nl = strchr(p, '\n');
        if (!c2 || !nl) break;
        if ((size_t)(c2 - c1 - 1) == strlen(ctrl) && strncmp(c1 + 1, ctrl, strlen(ctrl)) == 0) {
            snprintf(out, size, "%.*s", (int)(nl - c2 - 1), c2 + 1);
            return out;
        }
        p = nl + 1;
    }
    return NULL;
}

static void copy_cpuset(const char* parent, const char* dir) {
    static const char* files[] = {"cpuset.cpus", "cpuset.mems"};
    for (int i = 0; i < 2; ++i) {
        char p[600], v[256];
        snprintf(p, sizeof p, "%s/%s", parent, files[i]);
        if (read_file(p, v, sizeof v) <= 0) continue;
        snprintf(p, sizeof p, "%s/%s", dir, files[i]);
        if (write_file(p, v) != 0) die(p);
    }
}

/* One cgroup per mounted hierarchy (v1 first, then cgroup2), as cnt makes them: the paths
 * of all, the cgroup2 leaf made now. */
static void plan_cgroups(const char* name) {
    static char mi[65536], self[4096];
    if (read_file("/proc/self/mountinfo", mi, sizeof mi) < 0) die("/proc/self/mountinfo");
    if (read_file("/proc/self/cgroup", self, sizeof self) < 0) die("/proc/self/cgroup");
    char v2mnt[256] = "";
    for (char* line = strtok(mi, "\n"); line; line = strtok(NULL, "\n")) {
        char mnt[256], fstype[32], opts[512];
        char* dash = strstr(line, " - ");
        if (!dash || sscanf(dash, " - %31s %*s %511s", fstype, opts) != 2) continue;
        if (sscanf(line, "%*s %*s %*s %*s %255s", mnt) != 1) continue;
        if (strcmp(fstype, "cgroup2") == 0) {
            snprintf(v2mnt, sizeof v2mnt, "%s", mnt);
            continue;
        }
        if (strcmp(fstype, "cgroup") != 0 || ndirs >= MAXH - 1) continue;
        /* the controllers are the last component of the mount point on Debian's layout */
        const char* ctrl = strrchr(mnt, '/') + 1;
        char want[64], rel[256];
        snprintf(want, sizeof want, "%s", ctrl);
        if (strcmp(ctrl, "systemd") == 0) snprintf(want, sizeof want, "name=systemd");
        if (!own_path(self, want, rel, sizeof rel)) continue;
        snprintf(parents[ndirs], sizeof parents[0], "%s%s", mnt, strcmp(rel, "/") == 0 ? "" : rel);
        snprintf(dirs[ndirs], sizeof dirs[0], "%s/kfloor.%s", parents[ndirs], name);
        snprintf(inner[ndirs], sizeof inner[0], "%s/.cnt", dirs[ndirs]);
        cpuset[ndirs] = strstr(opts, "cpuset") != NULL;
        ndirs++;
    }
    nv1 = ndirs;
    if (v2mnt[0]) {
        char rel[256];
        if (!own_path(self, "", rel, sizeof rel)) return;
        snprintf(dirs[ndirs], sizeof dirs[0], "%s%s/kfloor.%s", v2mnt,
                 strcmp(rel, "/") == 0 ? "" : rel, name);
        snprintf(inner[ndirs], sizeof inner[0], "%s/.cnt", dirs[ndirs]);
        if (mkdir(dirs[ndirs], 0755) != 0) die(dirs[ndirs]);
        if (mkdir(inner[ndirs], 0755) != 0) die(inner[ndirs]);
        v2fd = open(inner[ndirs], O_RDONLY | O_DIRECTORY | O_CLOEXEC);
        if (v2fd < 0) die(inner[ndirs]);
        ndirs++;
    }
}

/* After the clone: the v1 directories (cnt writes the limits here), then their inner ones,
 * whose tasks files go to init in one message. */
static void make_v1(int sock) {
    int fds[MAXH];
    for (int i = 0; i < nv1; ++i) {
        if (mkdir(dirs[i], 0755) != 0) die(dirs[i]);
        if (cpuset[i]) copy_cpuset(parents[i], dirs[i]);
    }
    for (int i = 0; i < nv1; ++i) {
        if (mkdir(inner[i], 0755) != 0) die(inner[i]);
        if (cpuset[i]) copy_cpuset(dirs[i], inner[i]);
        char t[600];
        snprintf(t, sizeof t, "%s/tasks", inner[i]);
        if ((fds[i] = open(t, O_WRONLY | O_CLOEXEC)) < 0) die(t);
    }
    char ctl[CMSG_SPACE(sizeof fds)];
    struct iovec iov = {"s", 1};
    struct msghdr h = {.msg_iov = &iov, .msg_iovlen = 1};
    if (nv1) {
        h.msg_control = ctl;
        h.msg_controllen = CMSG_SPACE(sizeof(int) * (size_t)nv1);
        struct cmsghdr* c = CMSG_FIRSTHDR(&h);
        c->cmsg_level = SOL_SOCKET;
        c->cmsg_type = SCM_RIGHTS;
        c->cmsg_len = CMSG_LEN(sizeof(int) * (size_t)nv1);
        memcpy(CMSG_DATA(c), fds, sizeof(int) * (size_t)nv1);
    }
    if (sendmsg(sock, &h, MSG_NOSIGNAL) != 1) die("sending the cgroups to init");
    for (int i = 0; i < nv1; ++i) close(fds[i]);
}

/* In init: the tasks files, then "0" into each. */
static void join_v1(int sock) {
    int fds[MAXH];
    char c, ctl[CMSG_SPACE(sizeof fds)];
    struct iovec iov = {&c, 1};
    struct msghdr h = {
        .msg_iov = &iov, .msg_iovlen = 1, .msg_control = ctl, .msg_controllen = sizeof ctl};
    if (recvmsg(sock, &h, MSG_CMSG_CLOEXEC) != 1) die("waiting for the cgroups");
    struct cmsghdr* m = CMSG_FIRSTHDR(&h);
    int n = m ? (int)((m->cmsg_len - CMSG_LEN(0)) / sizeof(int)) : 0;
    if (n != nv1) die("the cgroups' files");
    if (n) memcpy(fds, CMSG_DATA(m), sizeof(int) * (size_t)n);
    for (int i = 0; i < n; ++i) {
        if (write(fds[i], "0", 1) != 1) die(inner[i]);
        close(fds[i]);
    }
}

static void mnt(const char* src, const char* dst, const char* type, unsigned long fl,
                const char* data) {
    if (mount(src, dst, type, fl, data) != 0) die(dst);
}

/* proc:mixed's masks and read-only paths and sys:ro's, as rootfs/masks.cpp (skipped where
 * this kernel lacks them). */
static void hide(const char* root) {
    static const char* masked[] = {"acpi",          "asound",     "kcore",       "keys",
                                   "latency_stats", "timer_list", "timer_stats", "sched_debug",
                                   "scsi",          "kmsg"};
    static const char* frozen[] = {"sysrq-trigger", "bus", "fs", "irq"};
    char p[512];
    struct stat st;
    for (size_t i = 0; i < sizeof masked / sizeof *masked; ++i) {
        snprintf(p, sizeof p, "%s/proc/%s", root, masked[i]);
        if (lstat(p, &st) != 0) continue;
        if (S_ISDIR(st.st_mode))
            mnt("cnt-masked", p, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_RDONLY,
                "size=0,mode=555");
        else
            mnt("/dev/null", p, NULL, MS_BIND, NULL);
    }
    for (size_t i = 0; i < sizeof frozen / sizeof *frozen; ++i) {
        snprintf(p, sizeof p, "%s/proc/%s", root, frozen[i]);
        if (lstat(p, &st) != 0) continue;
        mnt(p, p, NULL, MS_BIND | MS_REC, NULL);
        mnt(NULL, p, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC,
            NULL);
    }
}

static void hide_sys(const char* root) {
    char p[512];
    snprintf(p, sizeof p, "%s/sys/firmware", root);
    if (access(p, F_OK) == 0)
        mnt("cnt-masked", p, "tmpfs", MS_NOSUID | MS_NODEV | MS_NOEXEC | MS_RDONLY,
            "size=0,mode=555");
}

#define INSN(c, d, s, o, i) \
    ((struct bpf_insn){.code = (c), .dst_reg = (d), .src_reg = (s), .off = (o), .imm = (i)})
/* The default device list (config/common.conf) as cnt's cgroup2 program: deny, then one block
 * per allowed char device (type, access, major, minor), loaded and attached to the v2 leaf. */
static void device_program(void) {
    static const int allowed[][2] = {{1, 3}, {1, 5}, {1, 7},    {1, 8},    {1, 9},   {5, 0},
                                     {5, 1}, {5, 2}, {136, -1}, {10, 229}, {10, 200}};
    struct bpf_insn prog[128];
    int n = 0;
    prog[n++] =
        INSN(BPF_LDX | BPF_W | BPF_MEM, 2, 1, offsetof(struct bpf_cgroup_dev_ctx, access_type), 0);
    prog[n++] = INSN(BPF_ALU64 | BPF_MOV | BPF_X, 3, 2, 0, 0);
    prog[n++] = INSN(BPF_ALU | BPF_AND | BPF_K, 3, 0, 0, 0xffff);
    prog[n++] = INSN(BPF_ALU | BPF_RSH | BPF_K, 2, 0, 0, 16);
    prog[n++] =
        INSN(BPF_LDX | BPF_W | BPF_MEM, 4, 1, offsetof(struct bpf_cgroup_dev_ctx, major), 0);
    prog[n++] =
        INSN(BPF_LDX | BPF_W | BPF_MEM, 5, 1, offsetof(struct bpf_cgroup_dev_ctx, minor), 0);
    for (size_t i = 0; i < sizeof allowed / sizeof *allowed; ++i) {
        int minor = allowed[i][1] >= 0, left = 3 + minor; /* jumps still to pass in the block */
        prog[n++] = INSN(BPF_JMP | BPF_JNE | BPF_K, 3, 0, left--, BPF_DEVCG_DEV_CHAR);
        prog[n++] = INSN(BPF_JMP | BPF_JNE | BPF_K, 4, 0, left--, allowed[i][0]);
        if (minor) prog[n++] = INSN(BPF_JMP | BPF_JNE | BPF_K, 5, 0, left--, allowed[i][1]);
        prog[n++] = INSN(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 1);
        prog[n++] = INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
    }
    prog[n++] = INSN(BPF_ALU64 | BPF_MOV | BPF_K, 0, 0, 0, 0);
    prog[n++] = INSN(BPF_JMP | BPF_EXIT, 0, 0, 0, 0);
    union bpf_attr a;
    memset(&a, 0, sizeof a);
    a.prog_type = BPF_PROG_TYPE_CGROUP_DEVICE;
    a.insns = (uint64_t)(uintptr_t)prog;
    a.insn_cnt = (uint32_t)n;
    a.license = (uint64_t)(uintptr_t) "GPL";
    int pfd = (int)syscall(SYS_bpf, BPF_PROG_LOAD, &a, sizeof a);
    if (pfd < 0) die("device program");
    memset(&a, 0, sizeof a);
    a.target_fd = (uint32_t)v2fd;
    a.attach_bpf_fd = (uint32_t)pfd;
    a.attach_type = BPF_CGROUP_DEVICE;
    a.attach_flags = BPF_F_ALLOW_MULTI;
    if (syscall(SYS_bpf, BPF_PROG_ATTACH, &a, sizeof a) != 0) die("attaching the device program");
    close(pfd);
}

/* A seccomp filter of the default denylist's size (cnt's compiles to 66 instructions): the arch
 * and number loaded, one comparison per denied call for each of the three x86 ABIs. The floor
 * measures the kernel's work, so its comparisons all fall through to "allow". */
static void seccomp_filter(void) {
    static const int denied[] = {SYS_kexec_load,
                                 SYS_kexec_file_load,
                                 SYS_init_module,
                                 SYS_finit_module,
                                 SYS_delete_module,
                                 SYS_open_by_handle_at,
                                 SYS_keyctl,
                                 SYS_add_key,
                                 SYS_request_key,
                                 SYS_syslog,
                                 SYS_swapon,
                                 SYS_swapoff,
                                 SYS_acct,
                                 SYS_bpf,
                                 SYS_perf_event_open,
                                 SYS_lookup_dcookie,
                                 SYS_umount2};
    const int nd = sizeof denied / sizeof *denied;
    struct sock_filter f[128];
    int n = 0;
    f[n++] =
        (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, arch));
    f[n++] =
        (struct sock_filter)BPF_STMT(BPF_LD | BPF_W | BPF_ABS, offsetof(struct seccomp_data, nr));
    for (int abi = 0; abi < 3; ++abi)
        for (int i = 0; i < nd && n < 120; ++i)
            f[n++] = (struct sock_filter)BPF_JUMP(
                BPF_JMP | BPF_JEQ | BPF_K, (unsigned)denied[i] + 0x10000u * (unsigned)abi, 0, 0);
    f[n++] = (struct sock_filter)BPF_STMT(BPF_RET | BPF_K, SECCOMP_RET_ALLOW);
    struct sock_fprog p = {(unsigned short)n, f};
    if (prctl(PR_SET_NO_NEW_PRIVS, 1, 0, 0, 0) != 0 ||
        syscall(SYS_seccomp, SECCOMP_SET_MODE_FILTER, 0, &p) != 0)
        die("seccomp");
}

static void child(int sock, const char* root, const char* name, char** argv) {
    char p[512];
    mnt(NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL);
    mnt(root, root, NULL, MS_BIND | MS_REC, NULL);
    snprintf(p, sizeof p, "%s/proc", root);
    mnt("proc", p, "proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
    snprintf(p, sizeof p, "%s/proc/sys", root);
    mnt(p, p, NULL, MS_BIND, NULL);
    mnt(NULL, p, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL);
    hide(root);
    snprintf(p, sizeof p, "%s/sys", root);
    mnt("sysfs", p, "sysfs", MS_RDONLY | MS_NOSUID | MS_NODEV | MS_NOEXEC, NULL);
    hide_sys(root);
    snprintf(p, sizeof p, "%s/dev", root);
    mnt("none", p, "tmpfs", MS_NOSUID | MS_NOEXEC, "size=500000,mode=755");
    static const struct {
        const char* n;
        int maj, min;
    } nodes[] = {{"null", 1, 3},   {"zero", 1, 5},    {"full", 1, 7},
                 {"random", 1, 8}, {"urandom", 1, 9}, {"tty", 5, 0}};
    umask(0);
    for (int i = 0; i < 6; ++i) {
        snprintf(p, sizeof p, "%s/dev/%s", root, nodes[i].n);
        if (mknod(p, S_IFCHR | 0666, makedev(nodes[i].maj, nodes[i].min)) != 0) die(p);
    }
    umask(022);
    static const char* links[][2] = {{"/proc/self/fd", "fd"},
                                     {"/proc/self/fd/0", "stdin"},
                                     {"/proc/self/fd/1", "stdout"},
                                     {"/proc/self/fd/2", "stderr"},
                                     {"pts/ptmx", "ptmx"}};
    static const char* subdirs[] = {"shm", "mqueue", "pts"};
    for (int i = 0; i < 3; ++i) {
        snprintf(p, sizeof p, "%s/dev/%s", root, subdirs[i]);
        if (mkdir(p, 0755) != 0) die(p);
    }
    snprintf(p, sizeof p, "%s/dev/pts", root);
    mnt("devpts", p, "devpts", MS_NOSUID | MS_NOEXEC, "newinstance,ptmxmode=0666,mode=0620");
    for (int i = 0; i < 5; ++i) {
        snprintf(p, sizeof p, "%s/dev/%s", root, links[i][1]);
        if (symlink(links[i][0], p) != 0) die(p);
    }
    if (chdir(root) != 0 || syscall(SYS_pivot_root, ".", ".") != 0 ||
        umount2(".", MNT_DETACH) != 0 || chdir("/") != 0)
        die("pivot_root");
    join_v1(sock);
    /* loopback up, as cnt does for an empty network */
    int s = socket(AF_INET, SOCK_DGRAM | SOCK_CLOEXEC, 0);
    struct ifreq ifr = {0};
    strcpy(ifr.ifr_name, "lo");
    ifr.ifr_flags = IFF_UP | IFF_LOOPBACK | IFF_RUNNING;
    if (s < 0 || ioctl(s, SIOCSIFFLAGS, &ifr) != 0) die("lo up");
    close(s);
    if (unshare(CLONE_NEWCGROUP) != 0) die("cgroup namespace");
    if (sethostname(name, strlen(name)) != 0) die("sethostname");
    seccomp_filter();
    execv(argv[0], argv);
    die(argv[0]);
}

static int usage(void) {
    fprintf(stderr,
            "usage: cnt-kfloor [-d PIDFILE] ROOTFS NAME COMMAND [ARG...]\n"
            "       cnt-kfloor --stop PIDFILE\n");
    return 2;
}

static int kill_and_wait(const char* pidfile) {
    char buf[64];
    int init = 0, monitor = 0;
    if (read_file(pidfile, buf, sizeof buf) <= 0 || sscanf(buf, "%d %d", &init, &monitor) != 2)
        die(pidfile);
    int ip = (int)syscall(SYS_pidfd_open, init, 0), mp = (int)syscall(SYS_pidfd_open, monitor, 0);
    if (ip < 0 || mp < 0) die("pidfd_open");
    if (syscall(SYS_pidfd_send_signal, ip, SIGKILL, NULL, 0) != 0) die("pidfd_send_signal");
    struct pollfd p = {mp, POLLIN, 0};
    while (poll(&p, 1, -1) < 0)
        if (errno != EINTR) die("poll");
    return 0;
}

int main(int argc, char** argv) {
    if (argc == 3 && strcmp(argv[1], "--stop") == 0) return kill_and_wait(argv[2]);
    const char* pidfile = NULL;
    if (argc > 2 && strcmp(argv[1], "-d") == 0) {
        pidfile = argv[2];
        argv += 2;
        argc -= 2;
    }
    if (argc < 4) return usage();
    const char *root = argv[1], *name = argv[2];
    int report[2] = {-1, -1};
    if (pidfile) {
        if (pipe2(report, O_CLOEXEC) != 0) die("pipe2");
        pid_t m = fork();
        if (m < 0) die("fork");
        if (m > 0) { /* the caller: returns once the monitor says COMMAND runs */
            char c = 0;
            close(report[1]);
            return read(report[0], &c, 1) == 1 && c == 'o' ? 0 : 1;
        }
        close(report[0]);
        setsid();
        /* a daemon: the caller's terminal or pipes are not held (as cnt's monitor) */
        int null = open("/dev/null", O_RDWR);
        if (null < 0) die("/dev/null");
        for (int i = 0; i < 3; ++i) dup2(null, i);
        if (null > 2) close(null);
    }
    plan_cgroups(name);
    int exec_pipe[2], sync[2];
    if (pipe2(exec_pipe, O_CLOEXEC) != 0) die("pipe2");
    if (socketpair(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0, sync) != 0) die("socketpair");
    struct clone_args ca;
    memset(&ca, 0, sizeof ca);
    ca.flags = CLONE_NEWNS | CLONE_NEWUTS | CLONE_NEWIPC | CLONE_NEWPID | CLONE_NEWNET;
    ca.exit_signal = SIGCHLD;
    if (v2fd >= 0) {
        ca.flags |= CLONE_INTO_CGROUP;
        ca.cgroup = (uint64_t)v2fd;
    }
    pid_t pid = (pid_t)syscall(SYS_clone3, &ca, sizeof ca);
    if (pid < 0) die("clone3");
    if (pid == 0) {
        close(exec_pipe[0]);
        close(sync[0]);
        child(sync[1], root, name, argv + 3);
    }
    close(sync[1]);
    close(exec_pipe[1]);
    make_v1(sync[0]);
    close(sync[0]);
    if (v2fd >= 0) device_program();
    if (pidfile) {
        char c, tmp[600], line[64];
        if (read(exec_pipe[0], &c, 1) != 0) die("exec"); /* EOF: init's exec closed it */
        snprintf(tmp, sizeof tmp, "%s.tmp", pidfile);
        int fd = open(tmp, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
        int n = snprintf(line, sizeof line, "%d %d\n", (int)pid, (int)getpid());
        if (fd < 0 || write(fd, line, (size_t)n) != n || close(fd) != 0 ||
            rename(tmp, pidfile) != 0)
            die(pidfile);
        if (write(report[1], "o", 1) != 1) die("report");
        close(report[1]);
    }
    close(exec_pipe[0]);
    int st = 0;
    if (waitpid(pid, &st, 0) < 0) die("waitpid");
    for (int i = 0; i < ndirs; ++i)
        if (rmdir(inner[i]) != 0 || rmdir(dirs[i]) != 0) perror(dirs[i]);
    if (pidfile) unlink(pidfile);
    return WIFEXITED(st) ? WEXITSTATUS(st) : 128 + WTERMSIG(st);
}
