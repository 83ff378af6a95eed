# cnt-destroy deletes the container and nothing outside it: not through symlinks, not across
# mount points (a bind mount of the same filesystem included), not a rootfs kept elsewhere.
. "$(dirname "$0")/lib.sh"
need_root
N=d$$
O=$T_DIR/outside
mkdir -p "$O/dir" "$T_DIR/bindsrc"
echo keep > "$O/file"; echo keep > "$O/dir/inner"; echo keep > "$T_DIR/bindsrc/inner"

expect_rc 1 cnt-destroy -n $N
assert_contains "$OUT" "Container is not defined"

cleanup_container $N
expect_rc 0 cnt-create -n $N -t busybox
R=$LXCPATH/$N/rootfs
ln -s "$O/file" "$R/link-to-file"
ln -s "$O/dir" "$R/link-to-dir"
ln -s "$O" "$R/etc/link-to-outside"
ln "$O/file" "$R/hardlink" 2>/dev/null || true
mkdir -p "$R/mnt/bind"
# Same filesystem as the rootfs: only the mount ID tells it is another mount.
mount --bind "$T_DIR/bindsrc" "$R/mnt/bind"
on_exit "umount -l '$R/mnt/bind'"
expect_rc 1 cnt-destroy -n $N
assert_contains "$OUT" "mnt/bind"
assert_eq "$(cat "$T_DIR/bindsrc/inner")" keep "bind-mounted dir survived"
[ -f "$LXCPATH/$N/config" ] || fail "config removed although the rootfs could not be"
# Half of it is gone: nothing but cnt-destroy may use it now.
expect_rc 1 cnt-start -n $N
assert_contains "$OUT" "cnt-destroy of this container stopped half-way"
umount "$R/mnt/bind"
expect_rc 0 cnt-destroy -n $N
assert_contains "$OUT" "Destroyed container $N"
[ ! -e "$LXCPATH/$N" ] || fail "container dir left"
assert_eq "$(cat "$O/file")" keep "symlinked file survived"
assert_eq "$(cat "$O/dir/inner")" keep "symlinked dir survived"
assert_eq "$(cat "$T_DIR/bindsrc/inner")" keep "bind source survived"

# A rootfs outside <lxcpath>/<name> is kept unless --include-rootfs.
X=$T_DIR/extroot
mkdir -p "$X/etc"; echo keep > "$X/etc/file"
printf 'lxc.rootfs.path = dir:%s\n' "$X" > "$T_DIR/ext.conf"
expect_rc 0 cnt-create -n $N -t none -f "$T_DIR/ext.conf"
expect_rc 0 cnt-destroy -n $N
assert_contains "$OUT" "kept rootfs \"$X\""
assert_eq "$(cat "$X/etc/file")" keep "outside rootfs survived"
[ ! -e "$LXCPATH/$N" ] || fail "container dir left"
expect_rc 0 cnt-create -n $N -t none -f "$T_DIR/ext.conf"
expect_rc 0 cnt-destroy -n $N --include-rootfs
[ ! -e "$X" ] || fail "--include-rootfs kept $X"

# A rootfs path that climbs out with .. is outside too.
mkdir -p "$X/etc"; echo keep > "$X/etc/file"
printf 'lxc.rootfs.path = dir:%s/%s/../../extroot\n' "$LXCPATH" "$N" > "$T_DIR/dots.conf"
expect_rc 0 cnt-create -n $N -t none -f "$T_DIR/dots.conf"
expect_rc 0 cnt-destroy -n $N
assert_eq "$(cat "$X/etc/file")" keep "rootfs reached through .. survived"

# Running containers: without -f refused (needs the runtime; checked when it is there).
