# cnt-execute: the command runs as pid 2 under cnt-init, its exit status comes back.
. "$(dirname "$0")/lib.sh"
P=(-P "$LXCPATH")
expect_rc 1 cnt-execute "${P[@]}"
assert_contains "$OUT" "No container name specified"
need_root
n=x$$
cnt-create "${P[@]}" -n $n -t busybox -q >/dev/null 2>&1 || fail "cnt-create -t busybox failed"
cleanup_container $n

expect_rc 3 cnt-execute "${P[@]}" -n $n -- sh -c 'exit 3'
expect_rc 0 cnt-execute "${P[@]}" -n $n -- true
# Seen from inside: the command is pid 2, its parent pid 1 is our init.
expect_rc 0 cnt-execute "${P[@]}" -n $n -- sh -c 'echo pid=$$ ppid=$PPID; cat /proc/1/cmdline | tr "\0" " "'
assert_contains "$OUT" "pid=2 ppid=1"
assert_contains "$OUT" "cnt-init"
# A command killed by a signal: cnt-execute dies of the same signal (shell: 128+N).
expect_rc 143 cnt-execute "${P[@]}" -n $n -- sh -c 'kill -TERM $$'
expect_rc 0 cnt-wait "${P[@]}" -n $n -s STOPPED -t 10
# lxc.execute.cmd is the default command.
echo "lxc.execute.cmd = sh -c 'exit 5'" >> "$LXCPATH/$n/config"
expect_rc 5 cnt-execute "${P[@]}" -n $n
