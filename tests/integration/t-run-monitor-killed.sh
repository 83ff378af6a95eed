# If the monitor dies (kill -9) the container keeps running, and cnt-stop still cleans up.
. "$(dirname "$0")/lib.sh"
need_root
n=c$$
mk_busybox "$n"
before=$(host_snapshot "$n")
expect_rc 0 cnt-start -P "$LXCPATH" -n "$n"
mon=$(monitor_pid "$n"); [ -n "$mon" ] || fail "no monitor in the run state"
kill -9 "$mon"
expect_rc 0 cnt-attach -P "$LXCPATH" -n "$n" -- hostname
assert_eq "$OUT" "$n" "container still running"
expect_rc 0 cnt-stop -P "$LXCPATH" -n "$n" -t 30
expect_rc 2 cnt-stop -P "$LXCPATH" -n "$n"
assert_eq "$(host_snapshot "$n")" "$before" "host state after stop without monitor"
exit 0
