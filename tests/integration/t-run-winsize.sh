# Window sizes: the caller's terminal size, and its later changes (SIGWINCH), reach the pty
# the container's program sees, through cnt-attach, cnt-start -F and cnt-console.
. "$(dirname "$0")/lib.sh"
need_root
need_cmd python3
n=c$$
mk_busybox "$n" "lxc.tty.max = 1"
echo "tty1::respawn:/bin/sh" >> "$LXCPATH/$n/rootfs/etc/inittab"
# drive ROWS COLS STEP... -- COMMAND: see ptydrive.py; the report in $OUT.
drive() {
    OUT=$(python3 "$TOP/tests/integration/ptydrive.py" "$@" | tr -d '\r')
    assert_contains "$OUT" "modes-restored=yes" "terminal modes after \`$*\`"
}
# `stty size` typed into a shell, before and after the terminal is resized. The numbers are
# searched as "rows cols" at the start of a line, which the typed command never is.
resize_steps=(expect:'# ' send:'stty size\n' expect:'\n30 100' resize:44:132 send:'stty size\n' expect:'\n44 132')

# cnt-start -F: the console is the caller's terminal.
drive 30 100 "${resize_steps[@]}" send:'exit\n' -- cnt-start -P "$LXCPATH" -n "$n" -F -- sh
assert_contains "$OUT" "rc=0"

expect_rc 0 cnt-start -P "$LXCPATH" -n "$n"
# cnt-attach: a running shell on the attach pty.
drive 30 100 "${resize_steps[@]}" send:'exit 3\n' -- cnt-attach -P "$LXCPATH" -n "$n"
assert_contains "$OUT" "rc=3"
# cnt-console: the monitor's pty behind /dev/tty1 (a shell respawned there by init).
drive 30 100 send:'\n' "${resize_steps[@]}" send:'\x01q' -- cnt-console -P "$LXCPATH" -n "$n" -t 1
assert_contains "$OUT" "rc=0"
expect_rc 0 cnt-stop -P "$LXCPATH" -n "$n" -k
exit 0
