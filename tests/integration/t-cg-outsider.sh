# A process moved into a container's cgroup from outside its pid namespace is not ended by
# the kernel when the container's init exits: the monitor's teardown must still kill it (it
# skips its kill only when cgroup2 says the group is empty) and leave no cgroup behind.
. "$(dirname "$0")/lib.sh"
need_root

P=(-P "$LXCPATH")
c=cgo$$
# init ends on its own once the outsider is in: no cnt-stop (which kills the cgroup itself).
mk_created $c "lxc.init.cmd = /bin/sh -c 'while [ ! -e /tmp/go ]; do sleep 0.1; done'"
before=$(leftovers $c)
expect_rc 0 cnt-start "${P[@]}" -n $c -d

# The outsider: a host process this test starts, moved into every hierarchy of the container.
sleep 600 &
out=$!
on_exit "kill -9 $out 2>/dev/null"
st=$(cat "$(run_dir "$c")/state")
dirs=$(printf '%s\n' "$st" | sed -n 's/^cgroup\.v1\.[0-9]*=//p; s/^cgroup\.v2=//p')
[ -n "$dirs" ] || fail "no cgroup in the run state"
# (into the inner cgroup, where the container's processes are: a cgroup2 directory that hands
# controllers down to a child takes no process itself, EBUSY)
for d in $dirs; do echo $out > "$d/.cnt/cgroup.procs" || fail "moving pid $out into $d/.cnt"; done
v2=$(printf '%s\n' "$st" | sed -n 's/^cgroup\.v2=//p')
[ -z "$v2" ] || assert_contains "$(cat "$v2/cgroup.events")" "populated 1" "the outsider is in the cgroup2 leaf"

mon=$(monitor_pid $c)
[ -n "$mon" ] || fail "no monitor pid"
touch "$LXCPATH/$c/rootfs/tmp/go"
# The monitor exits after its teardown (its state file goes first).
for _ in $(seq 200); do kill -0 "$mon" 2>/dev/null || break; sleep 0.05; done
kill -0 "$mon" 2>/dev/null && fail "the monitor did not exit after init"
# Reaped by this shell once killed: wait returns 128 + SIGKILL.
wait $out
assert_eq "$?" "137" "the outsider's exit status"
assert_eq "$(leftovers $c)" "$before" "left behind by the teardown"
exit 0
