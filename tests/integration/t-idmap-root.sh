# Root-started idmapped containers with no manual chown (issue 20, part 1), in the three ways
# cnt gives the container's root its rootfs:
#  shifted   cnt-create with lxc.idmap in the config: the rootfs is shifted onto the range
#  idmapped  a rootfs owned by host root (made without the map): seen through an idmapped mount
#  fallback  the same on a filesystem without idmapped mounts (ramfs): shifted once at start
# In each: the map inside, attach as the container's root, a file made inside and its owner on
# the host, a host file mode 600 bind-mounted in stays unreadable, the files cnt makes inside
# (create=file / create=dir targets, /dev) are the container root's.
. "$(dirname "$0")/lib.sh"
need_root
B=100000
S=idr-$$

# The shipped default config (include made absolute), with or without the map.
plain=$T_DIR/plain.conf
sed "s|^lxc.include = common.conf|lxc.include = $TOP/config/common.conf|" \
    "$TOP/config/default.conf" >"$plain"
mapped=$T_DIR/mapped.conf
cp "$plain" "$mapped"
idmap_lines() { printf 'lxc.idmap = u 0 %s 65536\nlxc.idmap = g 0 %s 65536\n' $B $B; }
idmap_lines >>"$mapped"

# A host secret: mode 600, host root's, in a directory the container's root may cross.
secret=$(mktemp /tmp/idr-secret.XXXXXX)
on_exit "rm -f '$secret'"
echo topsecret >"$secret"
chmod 600 "$secret"
secret_before=$(stat -c '%u %g %a %s %Y' "$secret")

entries() {
    echo "lxc.mount.entry = $secret secret none bind,create=file 0 0"
    echo "lxc.mount.entry = tmpfs mnt/scratch tmpfs create=dir 0 0"
}

in_c() { cnt-attach -P "$LXCPATH" -n "$1" -- sh -c "$2" 2>&1; }

# check NAME ROOTFS OWNER: the checks every case runs; OWNER is what a file the container's
# root makes is owned by on the host's disk.
check() {
    local n=$1 rootfs=$2 owner=$3 out
    expect_rc 0 cnt-start -P "$LXCPATH" -n "$n"
    expect_rc 0 cnt-attach -P "$LXCPATH" -n "$n" -- cat /proc/self/uid_map
    assert_eq "$(echo $OUT)" "0 $B 65536" "$n: uid map inside"
    expect_rc 0 cnt-attach -P "$LXCPATH" -n "$n" -- cat /proc/self/gid_map
    assert_eq "$(echo $OUT)" "0 $B 65536" "$n: gid map inside"
    expect_rc 0 cnt-attach -P "$LXCPATH" -n "$n" -- id -u
    assert_eq "$OUT" 0 "$n: attach enters as the container's root"
    # The container's root writes its own / ...
    expect_rc 0 cnt-attach -P "$LXCPATH" -n "$n" -- sh -c 'touch /newfile && stat -c "%u %g" /newfile'
    assert_eq "$OUT" "0 0" "$n: a new file inside is root's"
    assert_eq "$(stat -c '%u %g' "$rootfs/newfile")" "$owner $owner" "$n: the new file on the host"
    # ... and everything the template put there (/etc/passwd, root's home).
    expect_rc 0 cnt-attach -P "$LXCPATH" -n "$n" -- sh -c 'stat -c "%u %g" / /etc/passwd /root'
    assert_eq "$(echo $OUT)" "0 0 0 0 0 0" "$n: the rootfs is the container root's"
    expect_rc 0 cnt-attach -P "$LXCPATH" -n "$n" -- sh -c 'echo "idr:x:1000:1000::/:/bin/sh" >> /etc/passwd'
    # The host's secret, bound in, is not the container root's to read or change.
    out=$(in_c "$n" 'cat /secret')
    assert_not_contains "$out" topsecret "$n: the host secret read inside"
    assert_contains "$out" "Permission denied" "$n: reading the host secret"
    out=$(in_c "$n" 'echo pwned > /secret; chmod 666 /secret; chown 0 /secret')
    assert_eq "$(stat -c '%u %g %a %s %Y' "$secret")" "$secret_before" "$n: the host secret"
    # What cnt made inside: the bind target (create=file), the tmpfs's directory (create=dir),
    # /dev's directories: the container root's, on the host the range's (or, through an
    # idmapped mount, what the mount writes for it).
    assert_eq "$(stat -c '%u %g' "$rootfs/secret" "$rootfs/mnt/scratch")" \
        "$owner $owner
$owner $owner" "$n: create=file and create=dir targets on the host"
    expect_rc 0 cnt-attach -P "$LXCPATH" -n "$n" -- sh -c \
        'stat -c "%u %g" /dev /dev/null /dev/tty /dev/pts/ptmx /mnt/scratch; stat -c %u /dev/console
         echo x >/dev/null && head -c 3 /dev/zero | wc -c; touch /mnt/scratch/f'
    assert_eq "$(echo $OUT)" "0 0 0 0 0 0 0 0 0 0 0 3" \
        "$n: /dev, its nodes, devpts, the tmpfs and the console inside"
    # Its inner cgroups are its root's (an init like systemd makes cgroups there); the
    # container's own cgroup, which holds the limits, stays host root's.
    local inner outer
    inner=$(find /sys/fs/cgroup -maxdepth 9 -type d -path "*/cnt.payload.$n/.cnt" \
        -printf '%U %G\n' | sort -u)
    outer=$(find /sys/fs/cgroup -maxdepth 8 -type d -name "cnt.payload.$n" -printf '%U %G\n' |
        sort -u)
    assert_eq "$inner" "$B $B" "$n: the inner cgroups on the host"
    assert_eq "$outer" "0 0" "$n: the container's cgroups on the host"
    expect_rc 0 cnt-attach -P "$LXCPATH" -n "$n" -- sh -c \
        'mount -t cgroup -o memory cgroup /mnt/scratch && mkdir /mnt/scratch/sub &&
         echo $$ > /mnt/scratch/sub/cgroup.procs && grep memory /proc/self/cgroup'
    assert_contains "$OUT" "memory:/sub" "$n: its root makes and joins a cgroup of its own"
    expect_rc 0 cnt-stop -P "$LXCPATH" -n "$n"
}

# 1. shifted: cnt-create with the map in the config.
n=$S-s
expect_rc 0 cnt-create -P "$LXCPATH" -n "$n" -t busybox -f "$mapped"
cleanup_container "$n"
r=$LXCPATH/$n/rootfs
assert_eq "$(stat -c '%u %g' "$r" "$r/bin/busybox" "$r/root")" "$B $B
$B $B
$B $B" "shifted: the rootfs after cnt-create"
assert_eq "$(find "$r" -xdev -printf '%U %G %p\n' |
    awk -v lo=$B -v hi=$((B + 65535)) '$1 < lo || $1 > hi || $2 < lo || $2 > hi' | head -3)" "" \
    "shifted: files outside the range"
expect_rc 0 cnt-info -P "$LXCPATH" -n "$n"
assert_contains "$OUT" "IDMAP:          u 0 $B 65536" "cnt-info"
assert_contains "$OUT" "IDMAP:          g 0 $B 65536" "cnt-info"
entries >>"$LXCPATH/$n/config"
check "$n" "$r" $B
# Shifted for one map, started with another: refused, naming the rootfs and its owner.
sed -i "s/ 0 $B 65536/ 0 200000 65536/" "$LXCPATH/$n/config"
expect_rc 1 cnt-start -P "$LXCPATH" -n "$n"
assert_contains "$OUT" "\"$r\" is owned by $B:$B" "shifted: started with another map"
sed -i "s/ 0 200000 65536/ 0 $B 65536/" "$LXCPATH/$n/config"

# 2. idmapped: a root-owned rootfs, the map added afterwards.
n=$S-i
expect_rc 0 cnt-create -P "$LXCPATH" -n "$n" -t busybox -f "$plain"
cleanup_container "$n"
r=$LXCPATH/$n/rootfs
assert_eq "$(stat -c '%u %g' "$r")" "0 0" "idmapped: the rootfs made without a map"
{ idmap_lines; entries; } >>"$LXCPATH/$n/config"
check "$n" "$r" 0
expect_rc 0 cnt-start -P "$LXCPATH" -n "$n"
expect_rc 0 cnt-attach -P "$LXCPATH" -n "$n" -- cat /proc/self/mountinfo
assert_contains "$(echo "$OUT" | awk '$5 == "/"')" idmapped "idmapped: / inside"
expect_rc 0 cnt-stop -P "$LXCPATH" -n "$n"
# Nothing on disk changed hands.
assert_eq "$(find "$r" -xdev \! -uid 0 | head -3)" "" "idmapped: files not root's on the host"

# 3. fallback: the same root-owned rootfs on ramfs, which has no idmapped mounts.
n=$S-f
ram=$T_DIR/ram
mkdir "$ram"
mount -t ramfs ramfs "$ram" || fail "mounting ramfs"
on_exit "umount -l '$ram'"
cp -a "$r" "$ram/rootfs"
rm -f "$ram/rootfs/newfile" "$ram/rootfs/secret"
# The idmapped container's config (the template's lines, the map, the entries), another rootfs.
expect_rc 0 cnt-create -P "$LXCPATH" -n "$n" -t none -f "$LXCPATH/$S-i/config"
cleanup_container "$n"
echo "lxc.rootfs.path = dir:$ram/rootfs" >>"$LXCPATH/$n/config"
check "$n" "$ram/rootfs" $B
assert_eq "$(stat -c '%u %g' "$ram/rootfs" "$ram/rootfs/bin/busybox")" "$B $B
$B $B" "fallback: the rootfs shifted at start"

for n in $S-s $S-i $S-f; do expect_rc 0 cnt-destroy -P "$LXCPATH" -n "$n"; done
umount "$ram" || fail "ramfs busy after the containers are gone"
assert_no_leftovers $S-s $S-i $S-f
exit 0
