# cnt-wait: state names, STOPPED for absent containers, timeout, and waking on the event.
. "$(dirname "$0")/lib.sh"
P=(-P "$LXCPATH")

expect_rc 1 cnt-wait "${P[@]}" -n x$$ -s running
assert_contains "$OUT" "invalid state"
expect_rc 1 cnt-wait "${P[@]}" -n x$$ -s 'RUNNING|bogus'
assert_contains "$OUT" "invalid state"
expect_rc 1 cnt-wait "${P[@]}" -n x$$
assert_contains "$OUT" "missing state"
# A container that does not exist is STOPPED.
expect_rc 0 cnt-wait "${P[@]}" -n nosuch$$ -s STOPPED
expect_rc 0 cnt-wait "${P[@]}" -n nosuch$$ -s 'RUNNING|STOPPED'
define w$$
expect_rc 0 cnt-wait "${P[@]}" -n w$$ -s STOPPED -t 0
# Timeout: never reached.
expect_rc 1 cnt-wait "${P[@]}" -n w$$ -s FROZEN -t 1
assert_contains "$OUT" "timed out"

# The event: a writer renames a RUNNING state file into place after 0.3 s while cnt-wait
# waits with a 5 s timeout; the run dir does not even exist when the wait begins.
sleep 300 & sp=$!
on_exit "kill $sp"
on_exit "rm -rf '$(dirname "$(run_dir w$$)")'"
( sleep 0.3; fake_state w$$ RUNNING $sp ) &
writer=$!
cnt-wait "${P[@]}" -n w$$ -s RUNNING -t 5 > "$T_DIR/wait.out" 2>&1 &
waiter=$!
wait $writer
# The writer is done; the waiter must finish on its own, successfully (rc 0, not the timeout).
wait $waiter; rc=$?
assert_eq "$rc" 0 "cnt-wait woke up on the state file: $(cat "$T_DIR/wait.out")"
# And back: removing the state file (the container stopped) wakes a STOPPED waiter.
cnt-wait "${P[@]}" -n w$$ -s STOPPED -t 5 &
waiter=$!
sleep 0.3
rm -f "$(run_dir w$$)/state"
wait $waiter; rc=$?
assert_eq "$rc" 0 "cnt-wait woke up on the removal"
