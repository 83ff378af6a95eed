# Console and ttys: /dev/ttyN and /dev/console are ptys the monitor holds; cnt-console
# reaches them through the monitor's socket.
. "$(dirname "$0")/lib.sh"
need_root
need_cmd mkfifo
n=c$$
mk_busybox "$n" "lxc.tty.max = 2"
echo "tty1::respawn:/bin/sh" >> "$LXCPATH/$n/rootfs/etc/inittab"
expect_rc 0 cnt-start -P "$LXCPATH" -n "$n"
expect_rc 0 cnt-attach -P "$LXCPATH" -n "$n" -- sh -c 'test -c /dev/tty1 && test -c /dev/tty2 && test -c /dev/console && test ! -e /dev/tty3 && echo ttys-ok'
assert_eq "$OUT" "ttys-ok"

mkfifo "$T_DIR/in"
cnt-console -P "$LXCPATH" -n "$n" -t 1 <"$T_DIR/in" >"$T_DIR/out" 2>&1 &
cpid=$!
on_exit "kill $cpid"
exec 9>"$T_DIR/in"
echo 'echo typed-on-tty1 > /tmp/x' >&9
wait_for cnt-attach -P "$LXCPATH" -n "$n" -- test -e /tmp/x || fail "the shell on tty1 did not get the input"
expect_rc 0 cnt-attach -P "$LXCPATH" -n "$n" -- cat /tmp/x
assert_eq "$OUT" "typed-on-tty1"
# A second client on the same tty is refused while the first is connected.
expect_rc 1 cnt-console -P "$LXCPATH" -n "$n" -t 1 </dev/null
assert_contains "$OUT" "busy"
printf '\001q' >&9
wait "$cpid"; rc=$?
exec 9>&-
assert_eq "$rc" 0 "cnt-console exit after Ctrl-a q"
assert_contains "$(cat "$T_DIR/out")" "typed-on-tty1"
expect_rc 1 cnt-console -P "$LXCPATH" -n "$n" -t 9 </dev/null
expect_rc 0 cnt-stop -P "$LXCPATH" -n "$n" -t 30
expect_rc 1 cnt-console -P "$LXCPATH" -n "$n" -t 1 </dev/null
assert_contains "$OUT" "not running"
exit 0
