# cnt-create -t local: from a directory (copied as is) and from a tarball; a bad archive fails cleanly.
. "$(dirname "$0")/lib.sh"
need_root
S=$T_DIR/src
mkdir -p "$S/etc" "$S/bin" "$S/data"
cp /bin/busybox "$S/bin/busybox"
ln -s busybox "$S/bin/sh"
echo hello > "$S/data/file"
chown 1234:4321 "$S/data/file"
chmod 0640 "$S/data/file"
mknod "$S/data/null" c 1 3

N=l$$
cleanup_container $N
expect_rc 0 cnt-create -n $N -t local -- --rootfs-dir "$S"
R=$LXCPATH/$N/rootfs
assert_eq "$(stat -c '%u:%g %a' "$R/data/file")" "1234:4321 640" "owner and mode kept"
assert_eq "$(readlink "$R/bin/sh")" busybox "symlink kept"
assert_eq "$(stat -c %F "$R/data/null")" "character special file" "device kept"
assert_eq "$(chroot "$R" /bin/sh -c 'echo ok')" ok "copied rootfs runs"
assert_contains "$(cat "$LXCPATH/$N/config")" "lxc.rootfs.path = dir:$R"

tar -C "$S" -czf "$T_DIR/root.tar.gz" --numeric-owner .
N2=t$$
cleanup_container $N2
expect_rc 0 cnt-create -n $N2 -t local -- --rootfs-tarball "$T_DIR/root.tar.gz"
R2=$LXCPATH/$N2/rootfs
assert_eq "$(stat -c '%u:%g %a' "$R2/data/file")" "1234:4321 640" "owner and mode from tarball"
assert_eq "$(chroot "$R2" /bin/sh -c 'echo ok')" ok "unpacked rootfs runs"

# Corrupt and missing archives: clear error, nothing left.
head -c 3000 "$T_DIR/root.tar.gz" > "$T_DIR/broken.tar.gz"
N3=b$$
expect_rc 1 cnt-create -n $N3 -t local -- --rootfs-tarball "$T_DIR/broken.tar.gz"
assert_contains "$OUT" "not a readable tar archive"
[ ! -e "$LXCPATH/$N3" ] || fail "corrupt tarball left a directory"
expect_rc 1 cnt-create -n $N3 -t local -- --rootfs-tarball "$T_DIR/nope.tar"
assert_contains "$OUT" "no such file"
expect_rc 1 cnt-create -n $N3 -t local -- --rootfs-dir "$T_DIR/nope"
assert_contains "$OUT" "no such directory"
expect_rc 1 cnt-create -n $N3 -t local
assert_contains "$OUT" "--rootfs-dir"
[ ! -e "$LXCPATH/$N3" ] || fail "failed local create left a directory"
