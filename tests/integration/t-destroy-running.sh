# cnt-destroy of a running container: refused without -f (the container keeps running),
# killed and deleted with -f.
. "$(dirname "$0")/lib.sh"
need_root
N=r$$
cleanup_container $N
expect_rc 0 cnt-create -n $N -t busybox
expect_rc 0 cnt-start -n $N -d
expect_rc 0 cnt-info -n $N -s -H
assert_eq "$OUT" RUNNING "started"
pid=$(cnt-info -n $N -p -H)

expect_rc 1 cnt-destroy -n $N
assert_contains "$OUT" "cnt-destroy: $N: is running"
[ -f "$LXCPATH/$N/config" ] || fail "refused destroy deleted the config"
expect_rc 0 cnt-info -n $N -s -H
assert_eq "$OUT" RUNNING "still running after a refused destroy"

expect_rc 0 cnt-destroy -n $N -f
assert_contains "$OUT" "Destroyed container $N"
[ ! -e "$LXCPATH/$N" ] || fail "container dir left"
[ ! -e "/proc/$pid" ] || [ "$(cat /proc/$pid/comm 2>/dev/null)" != init ] || fail "init $pid still alive"
