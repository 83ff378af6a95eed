#!/usr/bin/env python3
"""Run a command on a fresh pty, as if a user sat at a terminal, and script the user.

usage: ptydrive.py ROWS COLS STEP... -- COMMAND [ARG...]
steps (in order):
  send:TEXT      type TEXT (\\n, \\r, \\x03 ... are unescaped)
  expect:REGEX   read the terminal until REGEX matches (what was read so far is kept)
  resize:R:C     set the terminal to R rows, C columns (TIOCSWINSZ; SIGWINCH to the command)
  signal:NAME    send signal NAME (e.g. TERM) to the command
Then waits for the command and prints "rc=N" (128+N for a signal), "modes-restored=yes|no"
(the terminal's termios before and after), and the whole output after "output:".
A step that does not happen within 30 s (a failsafe, never a measurement) fails with rc 3.
"""
import fcntl, os, re, select, signal, struct, sys, termios, time

def main():
    args = sys.argv[1:]
    sep = args.index("--")
    rows, cols = int(args[0]), int(args[1])
    steps, cmd = args[2:sep], args[sep + 1:]
    master, slave = os.openpty()
    fcntl.ioctl(master, termios.TIOCSWINSZ, struct.pack("HHHH", rows, cols, 0, 0))
    before = termios.tcgetattr(slave)
    pid = os.fork()
    if pid == 0:
        os.close(master)
        os.setsid()
        fcntl.ioctl(slave, termios.TIOCSCTTY, 0)
        for fd in (0, 1, 2):
            os.dup2(slave, fd)
        if slave > 2:
            os.close(slave)
        os.execvp(cmd[0], cmd)
    out = b""

    def pump(timeout):
        nonlocal out
        r, _, _ = select.select([master], [], [], timeout)
        if r:
            try:
                data = os.read(master, 4096)
            except OSError:
                data = b""
            out += data
            return bool(data)
        return False

    def die(msg):
        sys.stdout.write("FAILED: %s\noutput:\n%s\n" % (msg, out.decode(errors="replace")))
        os.kill(pid, signal.SIGKILL)
        sys.exit(3)

    for st in steps:
        kind, _, arg = st.partition(":")
        if kind == "send":
            os.write(master, arg.encode().decode("unicode_escape").encode())
        elif kind == "expect":
            pat = re.compile(arg.encode())
            deadline = time.monotonic() + 30
            while not pat.search(out):
                if time.monotonic() > deadline:
                    die("no match for %r" % arg)
                pump(0.2)
        elif kind == "resize":
            r, c = arg.split(":")
            fcntl.ioctl(master, termios.TIOCSWINSZ, struct.pack("HHHH", int(r), int(c), 0, 0))
            os.kill(pid, signal.SIGWINCH)
        elif kind == "signal":
            os.kill(pid, getattr(signal, "SIG" + arg))
        else:
            die("unknown step %r" % st)
    deadline = time.monotonic() + 30
    while True:
        done, status = os.waitpid(pid, os.WNOHANG)
        if done:
            break
        if time.monotonic() > deadline:
            die("the command did not exit")
        pump(0.1)
    while pump(0):
        pass
    rc = os.WEXITSTATUS(status) if os.WIFEXITED(status) else 128 + os.WTERMSIG(status)
    after = termios.tcgetattr(slave)
    print("rc=%d" % rc)
    print("modes-restored=%s" % ("yes" if before == after else "no"))
    print("output:")
    sys.stdout.write(out.decode(errors="replace"))

main()
