/* cnt-init: the tiny pid 1 of `cnt-execute` containers, built static so it runs in any rootfs.
 *
 *   /.cnt-init [--] COMMAND [ARG]...
 *
 * Runs COMMAND as its child, forwards the usual "please stop" signals to it, reaps every
 * zombie the container produces (pid 1 inherits all orphans), and exits with the command's
 * status, or 128+N when the command was killed by signal N.
 *
 * Outside a container (tests) it makes itself a child subreaper, so orphans of the command
 * are reparented to it exactly as they would be to a namespace's pid 1. */
#define _GNU_SOURCE
#include <errno.h>
#include <fcntl.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/prctl.h>
#include <sys/wait.h>
#include <unistd.h>

#ifndef CNT_VERSION
#define CNT_VERSION "0"
#endif

/* Signals an init must pass on: the container's manager speaks to pid 1 only. */
static const int forwarded[] = {SIGTERM, SIGINT, SIGHUP,  SIGUSR1, SIGUSR2,
                                SIGQUIT, SIGPWR, SIGALRM, SIGCONT, SIGWINCH};

/* cnt-init --exec FD [--] COMMAND...: exec COMMAND in place. A container's init (a clone of
 * the monitor, whose /proc/self/exe is the host's cnt-start) execs its command through the
 * sealed copy of this binary, so that a `#!/proc/self/exe` script planted as the command finds
 * that copy and not the host's binary (CVE-2019-5736). FD is init's sync socket: a failed exec
 * is reported there as the monitor expects it (one message), then exit 127. */
static int exec_in_place(int argc, char** argv) {
    int fd = atoi(argv[2]), first = 3;
    if (first < argc && strcmp(argv[first], "--") == 0) first++;
    if (first >= argc) return 1;
    if (fd >= 0) fcntl(fd, F_SETFD, FD_CLOEXEC);
    execvp(argv[first], argv + first);
    int e = errno;
    char m[512];
    int n = snprintf(m, sizeof m, "error\t%d\t\texecuting \"%s\"", e, argv[first]);
    if (fd >= 0 && n > 0)
        (void)!write(fd, m, (size_t)n < sizeof m ? (size_t)n : sizeof m - 1);
    else
        fprintf(stderr, "cnt-init: exec \"%s\": %s\n", argv[first], strerror(e));
    return 127;
}

static int status_code(int st) {
    if (WIFEXITED(st)) return WEXITSTATUS(st);
    if (WIFSIGNALED(st)) return 128 + WTERMSIG(st);
    return 1;
}

/* --help and --version: the exit code, or -1 to go on. */
static int answer_info(int argc, char** argv) {
    if (argc > 1 && strcmp(argv[1], "--help") == 0) {
        printf(
            "Usage: cnt-init [--] COMMAND [ARG]...\n\n"
            "Run COMMAND as the child of a minimal pid 1: forward signals, reap zombies,\n"
            "exit with the command's status (128+N when killed by signal N).\n");
        return 0;
    }
    if (argc > 1 && strcmp(argv[1], "--version") == 0) {
        printf("%s\n", CNT_VERSION);
        return 0;
    }
    return -1;
}

/* Block everything we handle before the fork so no signal is lost in between;
 * the child restores the mask before exec. */
static int block_signals(sigset_t* handled, sigset_t* old) {
    sigemptyset(handled);
    sigaddset(handled, SIGCHLD);
    signal(SIGCHLD, SIG_DFL);
    for (size_t i = 0; i < sizeof forwarded / sizeof forwarded[0]; i++) {
        /* An inherited SIG_IGN would discard the signal even while blocked, and pass the
         * ignoring on to the command: start from the defaults. */
        signal(forwarded[i], SIG_DFL);
        sigaddset(handled, forwarded[i]);
    }
    if (sigprocmask(SIG_BLOCK, handled, old) != 0) {
        perror("cnt-init: sigprocmask");
        return -1;
    }
    return 0;
}

/* The forked child: becomes the command. */
_Noreturn static void run_command(char** cmd, const sigset_t* old) {
    sigprocmask(SIG_SETMASK, old, NULL);
    if (getppid() == 1) {
        /* As pid 1's child: own session, and the console as controlling terminal so
         * ^C on it reaches the command. Failures are harmless (no tty). */
        if (setsid() >= 0) ioctl(STDIN_FILENO, TIOCSCTTY, 0);
    }
    execvp(cmd[0], cmd);
    fprintf(stderr, "cnt-init: exec \"%s\": %s\n", cmd[0], strerror(errno));
    _exit(errno == ENOENT ? 127 : 126);
}

/* Forward signals to the command and reap every zombie until the command is gone: its
 * status code. */
static int supervise(pid_t child, const sigset_t* handled) {
    for (;;) {
        siginfo_t si;
        int sig = sigwaitinfo(handled, &si);
        if (sig < 0) {
            if (errno == EINTR) continue;
            perror("cnt-init: sigwaitinfo");
            return 1;
        }
        if (sig != SIGCHLD) {
            /* Only the command gets it: it decides how to stop its own children. */
            if (kill(child, sig) != 0 && errno != ESRCH) perror("cnt-init: kill");
            continue;
        }
        /* SIGCHLD coalesces: reap until nothing is left to reap. */
        for (;;) {
            int st;
            pid_t p = waitpid(-1, &st, WNOHANG);
            if (p <= 0) break;
            if (p == child) return status_code(st);
        }
    }
}

int main(int argc, char** argv) {
    int first = 1;
    int rc = answer_info(argc, argv);
    if (rc >= 0) return rc;
    if (argc > 2 && strcmp(argv[1], "--exec") == 0) return exec_in_place(argc, argv);
    if (first < argc && strcmp(argv[first], "--") == 0) first++;
    if (first >= argc) {
        fprintf(stderr, "cnt-init: usage: cnt-init [--] COMMAND [ARG]...\n");
        return 1;
    }
    sigset_t handled, old;
    if (block_signals(&handled, &old) != 0) return 1;
    if (getpid() != 1) prctl(PR_SET_CHILD_SUBREAPER, 1, 0, 0, 0);

    pid_t child = fork();
    if (child < 0) {
        perror("cnt-init: fork");
        return 1;
    }
    if (child == 0) run_command(argv + first, &old);
    return supervise(child, &handled);
}
