# cnt-attach on a terminal: the command gets a pty of the container's own devpts instance,
# exit statuses pass through, and the caller's terminal comes back as it was.
. "$(dirname "$0")/lib.sh"
need_root
need_cmd python3
n=c$$
mk_busybox "$n"
expect_rc 0 cnt-start -P "$LXCPATH" -n "$n"
# drive ROWS COLS STEP... -- COMMAND: run COMMAND on a new terminal (ptydrive.py); the
# report (rc=, modes-restored=, output:) without carriage returns in $OUT.
drive() {
    OUT=$(python3 "$TOP/tests/integration/ptydrive.py" "$@" | tr -d '\r')
    assert_contains "$OUT" "modes-restored=yes" "terminal modes after \`$*\`"
}
attach() { echo cnt-attach -P "$LXCPATH" -n "$n"; }

# The pty is one of the container's: its devpts, not the host's, is where `tty` points.
drive 24 80 -- $(attach) -- sh -c 't=$(tty); echo "T=$t"; echo "D=$(stat -c %d "$t") P=$(stat -c %d /dev/pts/ptmx)"; ls /dev/pts'
assert_contains "$OUT" "rc=0"
t=$(sed -n 's/^T=//p' <<<"$OUT")
[[ "$t" =~ ^/dev/pts/[0-9]+$ ]] || fail "tty inside printed [$t]: $OUT"
d=$(sed -n 's/^D=\([0-9]*\) P=.*/\1/p' <<<"$OUT")
p=$(sed -n 's/^D=[0-9]* P=//p' <<<"$OUT")
assert_eq "$d" "$p" "the pty is in the devpts mounted in the container"
[ "$d" != "$(stat -c %d /dev/pts/ptmx)" ] || fail "the pty is in the host's devpts"
assert_contains "$OUT" "${t#/dev/pts/}" "the pty listed in the container's /dev/pts"

# Its size is the caller's terminal size.
drive 33 101 -- $(attach) -- stty size
assert_contains "$OUT" "rc=0"
assert_contains "$OUT" "33 101"

# Exit statuses as without a terminal.
drive 24 80 -- $(attach) -- sh -c 'exit 7'
assert_contains "$OUT" "rc=7"
drive 24 80 -- $(attach) -- sh -c 'kill -9 $$'
assert_contains "$OUT" "rc=137"
drive 24 80 -- $(attach) -- /no/such/cmd
assert_contains "$OUT" "rc=127"
assert_contains "$OUT" "executing \"/no/such/cmd\""

# An interactive shell: typed input reaches it.
drive 24 80 expect:'# ' send:'echo typed-$((6*7))\n' expect:'typed-42' send:'exit 4\n' -- $(attach)
assert_contains "$OUT" "rc=4"
# The line discipline is the pty's: ^C is a SIGINT for the command, not for cnt-attach.
drive 24 80 expect:'armed' send:'\x03' expect:'int-42' -- \
    $(attach) -- sh -c 'trap "echo int-\$((40+2)); exit 9" INT; echo armed; while :; do sleep 1; done'
assert_contains "$OUT" "rc=9"

# Killed while relaying: the terminal is restored all the same.
drive 24 80 expect:'# ' send:'echo ready\n' expect:'ready' signal:TERM -- $(attach)
assert_contains "$OUT" "rc=143"

# Another user gets a pty it owns.
drive 24 80 -- $(attach) -u 1000 -g 1000 -- sh -c 'stat -c "owner=%u" $(tty); id -u'
assert_contains "$OUT" "rc=0"
assert_contains "$OUT" "owner=1000"

# Not a terminal: stdin/stdout passed through as before, no pty.
out=$(echo 'tty; echo piped' | cnt-attach -P "$LXCPATH" -n "$n"); rc=$?
assert_eq "$rc" 0 "attach through a pipe"
assert_eq "$out" "not a tty
piped" "attach through a pipe"

# The container's lxc.pty.max bounds attach ptys too (the host's devpts has no such limit):
# with all 4 held by a process inside, attaching on a terminal fails and says why.
cnt-attach -P "$LXCPATH" -n "$n" -- sh -c 'exec 3<>/dev/pts/ptmx 4<>/dev/pts/ptmx 5<>/dev/pts/ptmx 6<>/dev/pts/ptmx; exec sleep 100000' \
    </dev/null >/dev/null 2>&1 &
holder=$!
on_exit "kill $holder"
wait_for cnt-attach -P "$LXCPATH" -n "$n" -- test -e /dev/pts/3 || fail "the ptys were not taken"
drive 24 80 -- $(attach) -- true
assert_contains "$OUT" "rc=1"
assert_contains "$OUT" "allocating a pty"
assert_contains "$OUT" "No space left on device"
expect_rc 0 cnt-stop -P "$LXCPATH" -n "$n" -k
wait "$holder"
exit 0
