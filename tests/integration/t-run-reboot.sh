# cnt-stop -r: init reboots, the monitor stays and starts a new init.
. "$(dirname "$0")/lib.sh"
need_root
n=c$$
# busybox init reboots on SIGTERM.
mk_busybox "$n" "lxc.signal.reboot = SIGTERM" "lxc.console.logfile = $T_DIR/console.log"
expect_rc 0 cnt-start -P "$LXCPATH" -n "$n"
mon=$(monitor_pid "$n"); [ -n "$mon" ] || fail "no monitor in the run state"
expect_rc 0 cnt-attach -P "$LXCPATH" -n "$n" -- touch /dev/marker
expect_rc 0 cnt-stop -P "$LXCPATH" -n "$n" -r -t 30
assert_eq "$(pgrep -f "cnt monitor\] $LXCPATH $n")" "$mon" "same monitor after reboot"
# A new init: /dev is a fresh tmpfs.
expect_rc 1 cnt-attach -P "$LXCPATH" -n "$n" -- test -e /dev/marker
expect_rc 0 cnt-attach -P "$LXCPATH" -n "$n" -- hostname
assert_eq "$OUT" "$n"
expect_rc 0 cnt-stop -P "$LXCPATH" -n "$n" -t 30
[ -f "$T_DIR/console.log" ] || fail "no console log"
exit 0
