# cnt-init, the pid 1 of cnt-execute: exit status, signal forwarding, zombie reaping.
# Run directly (outside a container it is a child subreaper, so orphans come to it as to pid 1).
. "$(dirname "$0")/lib.sh"
INIT="$TOP/bin/cnt-init"
[ -x "$INIT" ] || fail "bin/cnt-init not built"
file "$INIT" 2>/dev/null | grep -q "statically linked" || ldd "$INIT" 2>&1 | grep -q "not a dynamic" \
    || fail "cnt-init is not static"

expect_rc 3 "$INIT" -- sh -c 'exit 3'
expect_rc 0 "$INIT" true
expect_rc 127 "$INIT" -- /no/such/command
assert_contains "$OUT" "/no/such/command"
# Killed by signal N: 128+N.
expect_rc 137 "$INIT" -- sh -c 'kill -KILL $$'
expect_rc 1 "$INIT"

# Forwarding: the command traps USR1 and exits 7; TERM kills a plain command (128+15).
for case in "USR1 7" "TERM 143" "HUP 129" "INT 130"; do
    set -- $case
    ready="$T_DIR/ready.$1"
    if [ "$1" = USR1 ]; then
        "$INIT" -- sh -c "trap 'exit 7' USR1; echo > '$ready'; while :; do sleep 0.05; done" &
    else
        # exec: the signal's default action applies to the command itself.
        "$INIT" -- sh -c "echo > '$ready'; exec sleep 100" &
    fi
    pid=$!
    on_exit "kill -KILL $pid"
    for _ in $(seq 200); do [ -e "$ready" ] && break; sleep 0.05; done
    [ -e "$ready" ] || fail "command under cnt-init did not start"
    sleep 0.1  # let the exec of sleep happen after the marker
    kill -"$1" "$pid"
    wait "$pid"; rc=$?
    assert_eq "$rc" "$2" "SIG$1 forwarded"
done

# Reaping: a grandchild is orphaned (double fork) and exits; cnt-init must reap it, so its
# pid disappears while the command still runs. The command reports what it saw.
script='
( sh -c "echo \$\$ > '"$T_DIR"'/gc; exit 0" & )
for i in $(seq 100); do [ -s '"$T_DIR"'/gc ] && break; sleep 0.05; done
gc=$(cat '"$T_DIR"'/gc)
for i in $(seq 200); do [ -e /proc/$gc ] || exit 0; sleep 0.05; done
grep State /proc/$gc/status; exit 9'
expect_rc 0 "$INIT" -- sh -c "$script"
echo "ok"
