# cnt-snapshot on a dir container: snapshots with timestamps and comments, a write after the
# snapshot undone by restoring it in place (refused while running), a restore as a new
# container, destroy of one and of all snapshots; nothing left.
. "$(dirname "$0")/lib.sh"
need_root
N=sn-c$$ NEW=sn-new$$
expect_rc 0 cnt-create -n $N -t busybox -q
cleanup_container $N
cleanup_container $NEW
echo "before the upgrade" > "$T_DIR/comment"
expect_rc 0 cnt-snapshot -n $N -c "$T_DIR/comment"
assert_eq "$OUT" "snap0" "first snapshot's name"
expect_rc 0 cnt-start -n $N
expect_rc 0 cnt-attach -n $N -- sh -c 'echo upgraded > /etc/version; rm /bin/vi'
expect_rc 0 cnt-stop -n $N -k
expect_rc 0 cnt-snapshot -n $N
assert_eq "$OUT" "snap1" "second snapshot's name"
expect_rc 0 cnt-snapshot -n $N -L -C
assert_contains "$OUT" "snap0 ($LXCPATH/$N/snaps) "
assert_contains "$OUT" "before the upgrade"
assert_contains "$OUT" "snap1 ($LXCPATH/$N/snaps) "
[[ "$OUT" =~ snap0\ \(.*\)\ [0-9]{4}:[0-9]{2}:[0-9]{2}\ [0-9]{2}:[0-9]{2}:[0-9]{2} ]] ||
    fail "no timestamp in: $OUT"

# Restore over a running container: refused, nothing changed.
expect_rc 0 cnt-start -n $N
expect_rc 1 cnt-snapshot -n $N -r snap0
assert_contains "$OUT" "is running"
expect_rc 0 cnt-attach -n $N -- cat /etc/version
assert_eq "$OUT" "upgraded" "refused restore changed the container"
expect_rc 0 cnt-stop -n $N -k

# Restore in place: the state of snap0, its snapshots kept, no backup left.
expect_rc 0 cnt-snapshot -n $N -r snap0
expect_rc 0 cnt-start -n $N
expect_rc 1 cnt-attach -n $N -- cat /etc/version
expect_rc 0 cnt-attach -n $N -- sh -c 'test -e /bin/vi && hostname'
assert_eq "$OUT" "$N" "restored container"
expect_rc 0 cnt-stop -n $N -k
assert_contains "$(grep '^lxc.rootfs.path' "$LXCPATH/$N/config")" "dir:$LXCPATH/$N/rootfs"
expect_rc 0 cnt-snapshot -n $N -L
assert_contains "$OUT" "snap1"
[ -z "$(ls -A "$LXCPATH" | grep -v "^$N\$")" ] || fail "restore left: $(ls -A "$LXCPATH")"

# Restore as a new container: snap1's state under a new name and hostname.
expect_rc 0 cnt-snapshot -n $N -r snap1 -N $NEW
expect_rc 0 cnt-start -n $NEW
expect_rc 0 cnt-attach -n $NEW -- sh -c 'cat /etc/version; hostname'
assert_eq "$OUT" "upgraded
$NEW" "restored as a new container"
expect_rc 0 cnt-stop -n $NEW -k

expect_rc 1 cnt-snapshot -n $N -r snap7
assert_contains "$OUT" "no snapshot"
expect_rc 1 cnt-snapshot -n $N -d ../$N
expect_rc 0 cnt-snapshot -n $N -d snap0
expect_rc 0 cnt-snapshot -n $N -L
assert_not_contains "$OUT" "snap0"
expect_rc 0 cnt-snapshot -n $N -d ALL
[ ! -e "$LXCPATH/$N/snaps" ] || fail "snaps left: $(ls -A "$LXCPATH/$N/snaps")"
expect_rc 0 cnt-destroy -n $NEW
expect_rc 0 cnt-destroy -n $N
[ -z "$(ls -A "$LXCPATH")" ] || fail "left in the lxcpath: $(ls -A "$LXCPATH")"
echo "PASS: $T_NAME"
