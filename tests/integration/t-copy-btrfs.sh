# Clones and snapshots on btrfs (a loop file with btrfs made here): cnt-copy -s of a running
# container is a subvolume snapshot taken frozen; cnt-snapshot makes and restores native
# snapshots; a full copy into a loop image (-B loop). No subvolume, mount or loop device left.
. "$(dirname "$0")/lib.sh"
need_root
need_cmd mkfs.btrfs
mount_test_btrfs 300M
BT=$T_DIR/bt
S=cb-src$$ C=cb-snap$$ L=cb-loop$$
for n in $S $C $L; do on_exit "cnt-stop -P '$BT' -n $n -k; cnt-destroy -P '$BT' -n $n -f"; done
c() { local rc=$1 cmd=$2; shift 2; expect_rc "$rc" "$cmd" -P "$BT" "$@"; }

c 0 cnt-create -n $S -t busybox -B btrfs -q
c 0 cnt-start -n $S
c 0 cnt-attach -n $S -- sh -c 'echo before > /etc/state'
# Running: a full copy is refused, a snapshot is taken (frozen) and the source runs on.
c 1 cnt-copy -n $S -N $C
assert_contains "$OUT" "is running"
c 0 cnt-copy -n $S -N $C -s
assert_eq "$(stat -c %i "$BT/$C/rootfs")" 256 "the clone's rootfs is a subvolume"
c 0 cnt-info -n $S -s -H
assert_eq "$OUT" "RUNNING" "source state after the snapshot"
c 0 cnt-attach -n $S -- sh -c 'echo after > /etc/state'
c 0 cnt-stop -n $S -k
c 0 cnt-start -n $C
c 0 cnt-attach -n $C -- sh -c 'cat /etc/state; echo clone > /etc/state; hostname'
assert_eq "$OUT" "before
$C" "clone's state and hostname"
c 0 cnt-stop -n $C -k
assert_eq "$(cat "$BT/$S/rootfs/etc/state")" "after" "source unchanged by the clone"

# Native snapshots: make, change, restore in place.
c 0 cnt-snapshot -n $S
assert_eq "$(stat -c %i "$BT/$S/snaps/snap0/rootfs")" 256 "the snapshot is a subvolume"
echo changed > "$BT/$S/rootfs/etc/state"
c 0 cnt-snapshot -n $S -r snap0
assert_eq "$(cat "$BT/$S/rootfs/etc/state")" "after" "restored from the btrfs snapshot"
assert_eq "$(stat -c %i "$BT/$S/rootfs")" 256 "restored rootfs is a subvolume"

# A full copy of the btrfs container into a loop image with ext4.
c 0 cnt-copy -n $S -N $L -B loop -L 128M
c 0 cnt-start -n $L
c 0 cnt-attach -n $L -- sh -c 'cat /etc/state; awk "\$2 == \"/\" {print \$3}" /proc/mounts'
assert_eq "$OUT" "after
ext4" "loop copy"
c 0 cnt-stop -n $L -k

for n in $L $C $S; do c 0 cnt-destroy -n $n; done
[ -z "$(btrfs subvolume list "$BT")" ] || fail "subvolumes left: $(btrfs subvolume list "$BT")"
[ -z "$(ls -A "$BT")" ] || fail "left on the btrfs: $(ls -A "$BT")"
umount "$BT" || fail "unmounting the btrfs image"
for i in $(seq 50); do [ -z "$(losetup -a | grep -F "$T_DIR")" ] && break; sleep 0.1; done
[ -z "$(losetup -a | grep -F "$T_DIR")" ] || fail "loop devices left: $(losetup -a | grep -F "$T_DIR")"
echo "PASS: $T_NAME"
