# STARTING: from the moment the monitor exists until init runs; a failed start ends STOPPED.
. "$(dirname "$0")/lib.sh"
need_root
n=c$$
hookdir="$T_DIR/hooks"
mkdir -p "$hookdir"
# The pre-start hook signals that it runs, then waits until the test lets it go.
cat > "$hookdir/pre" <<HOOK
#!/bin/sh
touch "$hookdir/running"
while [ ! -e "$hookdir/go" ]; do sleep 0.1; done
[ ! -e "$hookdir/fail" ]
HOOK
chmod +x "$hookdir/pre"
mk_busybox "$n" "lxc.hook.pre-start = $hookdir/pre"
before=$(host_snapshot "$n")

cnt-start -P "$LXCPATH" -n "$n" > "$T_DIR/start.out" 2>&1 &
starter=$!
on_exit "touch '$hookdir/go'; kill $starter"
wait_for test -e "$hookdir/running" || fail "pre-start hook did not run"
expect_rc 0 cnt-info -P "$LXCPATH" -n "$n" -s
assert_contains "$OUT" "STARTING"
expect_rc 0 cnt-wait -P "$LXCPATH" -n "$n" -s STARTING -t 5
# The start holds the container's lock in its hook: cnt-stop waits at most its -t for it.
expect_rc 1 timeout -s KILL 30 cnt-stop -P "$LXCPATH" -n "$n" -t 1
assert_contains "$OUT" "$n: container is busy: another cnt tool has held its lock for 1 s"
touch "$hookdir/go"
expect_rc 0 cnt-wait -P "$LXCPATH" -n "$n" -s RUNNING -t 30
wait "$starter" || fail "cnt-start failed: $(cat "$T_DIR/start.out")"
expect_rc 0 cnt-info -P "$LXCPATH" -n "$n" -s
assert_contains "$OUT" "RUNNING"
expect_rc 0 cnt-stop -P "$LXCPATH" -n "$n" -k
expect_rc 0 cnt-info -P "$LXCPATH" -n "$n" -s
assert_contains "$OUT" "STOPPED"

# A start that fails while STARTING: STOPPED, and nothing left on the host.
rm -f "$hookdir/go" "$hookdir/running"
touch "$hookdir/fail"
cnt-start -P "$LXCPATH" -n "$n" > "$T_DIR/start.out" 2>&1 &
starter=$!
wait_for test -e "$hookdir/running" || fail "pre-start hook did not run (2)"
expect_rc 0 cnt-info -P "$LXCPATH" -n "$n" -s
assert_contains "$OUT" "STARTING"
touch "$hookdir/go"
if wait "$starter"; then fail "cnt-start succeeded with a failing pre-start hook"; fi
assert_contains "$(cat "$T_DIR/start.out")" "pre-start hook"
expect_rc 0 cnt-info -P "$LXCPATH" -n "$n" -s
assert_contains "$OUT" "STOPPED"
assert_eq "$(host_snapshot "$n")" "$before" "what a failed start left"
exit 0
