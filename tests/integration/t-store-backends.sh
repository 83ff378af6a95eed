# Backing stores (cnt-create -B): overlay, loop (ext4 and btrfs images), btrfs subvolumes on a
# btrfs filesystem the test makes. Each container is started, written to from inside, checked
# on the host, destroyed; no mount, loop device or subvolume is left.
. "$(dirname "$0")/lib.sh"
need_root
need_cmd mkfs.btrfs
need_cmd mkfs.ext4

# No loop device may still hold one of this test's files.
loops_of() { losetup -a 2>/dev/null | grep -F "$T_DIR" || true; }
on_exit 'for d in $(losetup -a | grep -F "'"$T_DIR"'" | cut -d: -f1); do losetup -d $d; done'

# write_inside NAME: start, write /probe inside, read the rootfs type inside, stop.
write_inside() {
    expect_rc 0 cnt-start -n "$1"
    expect_rc 0 cnt-attach -n "$1" -- sh -c 'echo from-inside > /probe; awk "\$2 == \"/\" {print \$3}" /proc/mounts'
    ROOT_TYPE=$OUT
    expect_rc 0 cnt-stop -n "$1" -k
}

# overlay: the template fills the lower layer, the container writes to the upper one.
N=st-ov$$
expect_rc 0 cnt-create -n $N -t busybox -B overlay -q
cleanup_container $N
assert_contains "$(grep '^lxc.rootfs.path' "$LXCPATH/$N/config")" \
    "overlay:$LXCPATH/$N/rootfs:$LXCPATH/$N/delta0"
expect_rc 0 cnt-info -n $N
assert_contains "$OUT" "Backend:        overlay"
write_inside $N
assert_eq "$ROOT_TYPE" "overlay" "rootfs type inside"
assert_eq "$(cat "$LXCPATH/$N/delta0/probe")" "from-inside" "write landed in the upper layer"
[ ! -e "$LXCPATH/$N/rootfs/probe" ] || fail "write reached the lower layer"
expect_rc 0 cnt-destroy -n $N
[ ! -e "$LXCPATH/$N" ] || fail "destroy left $(ls -A "$LXCPATH/$N")"

# A config naming an upper layer through a symlink in the rootfs, or ".." out of the
# container's directory: destroy removes the directory, never what the paths lead to.
mkdir -p "$T_DIR/victim/up" "$T_DIR/victim2/up" && echo keep > "$T_DIR/victim/up/f"
echo keep > "$T_DIR/victim2/up/f"
for upper in "rootfs/esc/up" "../../victim2/up"; do
    expect_rc 0 cnt-create -n $N -t busybox -B overlay -q
    ln -s "$T_DIR/victim" "$LXCPATH/$N/rootfs/esc"
    echo "lxc.rootfs.path = overlay:$LXCPATH/$N/rootfs:$LXCPATH/$N/$upper" >> "$LXCPATH/$N/config"
    expect_rc 0 cnt-destroy -n $N
    [ ! -e "$LXCPATH/$N" ] || fail "destroy left $(ls -A "$LXCPATH/$N")"
    [ -f "$T_DIR/victim/up/f" ] && [ -f "$T_DIR/victim2/up/f" ] || fail "destroy followed $upper"
done

# loop: an image with ext4, then one with btrfs; the device is freed when the container stops.
for fs in ext4 btrfs; do
    N=st-lp$fs$$
    expect_rc 0 cnt-create -n $N -t busybox -B loop --fstype $fs --fssize 128M -q
    cleanup_container $N
    assert_contains "$(grep '^lxc.rootfs.path' "$LXCPATH/$N/config")" "loop:$LXCPATH/$N/rootdev"
    [ -z "$(ls -A "$LXCPATH/$N/rootfs")" ] || fail "template wrote beside the image"
    write_inside $N
    assert_eq "$ROOT_TYPE" "$fs" "rootfs type inside"
    for i in $(seq 50); do [ -z "$(loops_of)" ] && break; sleep 0.1; done
    [ -z "$(loops_of)" ] || fail "loop device left after stop: $(loops_of)"
    # The write is in the image: seen by a read-only mount of it.
    mkdir "$T_DIR/mnt"
    mount -o loop,ro "$LXCPATH/$N/rootdev" "$T_DIR/mnt" || fail "mounting the image"
    got=$(cat "$T_DIR/mnt/probe"); umount "$T_DIR/mnt"; rmdir "$T_DIR/mnt"
    assert_eq "$got" "from-inside" "write in the $fs image"
    expect_rc 0 cnt-destroy -n $N
    [ ! -e "$LXCPATH/$N" ] || fail "destroy left $(ls -A "$LXCPATH/$N")"
done

# btrfs: an lxcpath on a btrfs filesystem; the rootfs is a subvolume, destroyed with it.
mount_test_btrfs 200M
BT=$T_DIR/bt
N=st-bt$$
expect_rc 0 cnt-create -P "$BT" -n $N -t busybox -B btrfs -q
on_exit "cnt-stop -P '$BT' -n $N -k; cnt-destroy -P '$BT' -n $N -f"
assert_eq "$(stat -c %i "$BT/$N/rootfs")" 256 "rootfs is a subvolume"
expect_rc 0 cnt-start -P "$BT" -n $N
expect_rc 0 cnt-attach -P "$BT" -n $N -- sh -c 'echo from-inside > /probe'
expect_rc 0 cnt-stop -P "$BT" -n $N -k
assert_eq "$(cat "$BT/$N/rootfs/probe")" "from-inside" "write in the subvolume"
expect_rc 0 cnt-destroy -P "$BT" -n $N
[ -z "$(btrfs subvolume list "$BT" 2>/dev/null)" ] || fail "subvolume left: $(btrfs subvolume list "$BT")"
[ ! -e "$BT/$N" ] || fail "destroy left $BT/$N"

# Backends cnt has not: a clear reason. btrfs outside btrfs: said so. Nothing left.
expect_rc 1 cnt-create -n st-x$$ -t busybox -B lvm
assert_contains "$OUT" "device-mapper"
expect_rc 1 cnt-create -n st-x$$ -t busybox -B zfs
assert_contains "$OUT" "Debian main"
expect_rc 1 cnt-create -n st-x$$ -t busybox -B btrfs
assert_contains "$OUT" "not on a btrfs filesystem"
[ ! -e "$LXCPATH/st-x$$" ] || fail "failed create left $LXCPATH/st-x$$"
umount "$BT" || fail "unmounting the btrfs image"
for i in $(seq 50); do [ -z "$(loops_of)" ] && break; sleep 0.1; done
[ -z "$(loops_of)" ] || fail "loop devices left: $(loops_of)"
echo "PASS: $T_NAME"
