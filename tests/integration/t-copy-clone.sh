# cnt-copy: a full copy and a snapshot clone of a busybox container are started and written to
# from inside while the source stays unchanged; the copy's config is rewritten (rootfs,
# hostname, MACs, fstab and hook paths in its directory); -R renames; a running source is
# refused; destroying everything leaves nothing.
. "$(dirname "$0")/lib.sh"
need_root
S=cp-src$$ F=cp-full$$ C=cp-snap$$ R=cp-ren$$
expect_rc 0 cnt-create -n $S -t busybox -q
cleanup_container $S
# A hook script and an fstab file living in the container's directory, and a MAC.
D=$LXCPATH/$S
printf '#!/bin/sh\necho "$LXC_NAME" > "$LXC_ROOTFS_MOUNT/tmp/hook-ran"\n' > "$D/hook.sh"
chmod 755 "$D/hook.sh"
: > "$D/fstab"
cat >> "$D/config" <<CFG
lxc.hook.mount = $D/hook.sh
lxc.mount.fstab = $D/fstab
lxc.net.0.type = empty
lxc.net.0.hwaddr = 00:16:3e:11:22:33
CFG
sum_src() { (cd "$D/rootfs" && find . -printf '%p %m %U %s\n' | sort | md5sum); }
before=$(sum_src)

# Full copy.
expect_rc 0 cnt-copy -n $S -N $F
cleanup_container $F
cfg=$LXCPATH/$F/config
assert_contains "$(grep '^lxc.rootfs.path' "$cfg")" "dir:$LXCPATH/$F/rootfs"
assert_contains "$(grep '^lxc.uts.name' "$cfg")" "= $F"
assert_contains "$(grep '^lxc.hook.mount' "$cfg")" "$LXCPATH/$F/hook.sh"
assert_contains "$(grep '^lxc.mount.fstab' "$cfg")" "$LXCPATH/$F/fstab"
assert_not_contains "$(grep '^lxc.net.0.hwaddr' "$cfg")" "00:16:3e:11:22:33" "MAC renewed"
[ -x "$LXCPATH/$F/hook.sh" ] || fail "hook script not copied"
# Hard links, modes, owners and symlinks as in the source.
assert_eq "$(stat -c '%h %i' "$LXCPATH/$F/rootfs/bin/busybox" | cut -d' ' -f1)" \
    "$(stat -c %h "$D/rootfs/bin/busybox")" "hard link count"
assert_eq "$(cd "$LXCPATH/$F/rootfs" && find . -printf '%p %m %U %s\n' | sort | md5sum)" "$before" \
    "copied tree"
expect_rc 0 cnt-start -n $F
expect_rc 0 cnt-attach -n $F -- sh -c 'echo copy > /etc/written; hostname; cat /tmp/hook-ran'
assert_eq "$OUT" "$F
$F" "hostname inside the copy, hook of the copy"
expect_rc 0 cnt-stop -n $F -k

# Snapshot clone (overlay on the source's rootfs), keeping the MAC.
expect_rc 0 cnt-copy -n $S -N $C -s -M
cleanup_container $C
assert_contains "$(grep '^lxc.rootfs.path' "$LXCPATH/$C/config")" \
    "overlay:$D/rootfs:$LXCPATH/$C/delta0"
assert_contains "$(grep '^lxc.net.0.hwaddr' "$LXCPATH/$C/config")" "00:16:3e:11:22:33" "-M"
expect_rc 0 cnt-start -n $C
expect_rc 0 cnt-attach -n $C -- sh -c 'echo snap > /etc/written; rm /bin/ls; hostname'
assert_eq "$OUT" "$C" "hostname inside the clone"
expect_rc 0 cnt-stop -n $C -k
assert_eq "$(cat "$LXCPATH/$C/delta0/etc/written")" "snap" "clone's write in its upper layer"
[ ! -e "$D/rootfs/etc/written" ] || fail "a write of a copy reached the source"
[ -e "$D/rootfs/bin/ls" ] || fail "a delete in the clone reached the source"
assert_eq "$(sum_src)" "$before" "source tree unchanged"

# A running source: refused (a dir rootfs has no consistent snapshot), nothing made.
expect_rc 0 cnt-start -n $S
expect_rc 1 cnt-copy -n $S -N cp-live$$
assert_contains "$OUT" "is running"
expect_rc 1 cnt-copy -n $S -N cp-live$$ -s
assert_contains "$OUT" "only a btrfs snapshot"
[ ! -e "$LXCPATH/cp-live$$" ] || fail "refused copy left a directory"
expect_rc 1 cnt-copy -n $S -N $R -R
assert_contains "$OUT" "stop it before renaming"
expect_rc 0 cnt-stop -n $S -k

# Copying onto an existing name: refused.
expect_rc 1 cnt-copy -n $S -N $F
assert_contains "$OUT" "already exists"

# Rename: the directory moves, its paths follow.
expect_rc 0 cnt-copy -n $F -N $R -R
cleanup_container $R
[ ! -e "$LXCPATH/$F" ] || fail "rename left the old directory"
assert_contains "$(grep '^lxc.rootfs.path' "$LXCPATH/$R/config")" "dir:$LXCPATH/$R/rootfs"
assert_contains "$(grep '^lxc.hook.mount' "$LXCPATH/$R/config")" "$LXCPATH/$R/hook.sh"
expect_rc 0 cnt-start -n $R
expect_rc 0 cnt-attach -n $R -- cat /etc/written
assert_eq "$OUT" "copy" "renamed container keeps its files"
expect_rc 0 cnt-stop -n $R -k

for n in $C $R $S; do expect_rc 0 cnt-destroy -n $n; done
[ -z "$(ls -A "$LXCPATH")" ] || fail "left in the lxcpath: $(ls -A "$LXCPATH")"
echo "PASS: $T_NAME"
