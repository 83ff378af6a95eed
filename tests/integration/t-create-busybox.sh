# cnt-create -t busybox: layout, modes, config keys, a rootfs that runs; refusals; -t none; -f.
. "$(dirname "$0")/lib.sh"
need_root
N=c$$
cleanup_container $N

expect_rc 0 cnt-create -n $N -t busybox
D=$LXCPATH/$N
assert_eq "$(stat -c %a "$D")" 770 "container dir mode"
assert_eq "$(stat -c %a "$D/config")" 640 "config mode"
[ -d "$D/rootfs" ] || fail "no rootfs"
[ ! -e "$D/partial" ] || fail "partial marker left behind"
cfg=$(cat "$D/config")
for k in "lxc.rootfs.path = dir:$D/rootfs" "lxc.signal.halt = SIGUSR1" "lxc.signal.reboot = SIGTERM" \
         "lxc.uts.name = $N" "lxc.tty.max = 1" "lxc.pty.max = 16" "lxc.mount.auto = proc:mixed sys:ro" \
         "lxc.init.cmd = /sbin/init" "lxc.cap.drop = sys_module sys_time sys_rawio mac_admin mac_override" \
         "# Template used to create this container: $TOP/templates/cnt-busybox" "lxc.net.0.type = empty" \
         "lxc.include = $TOP/config/common.conf"; do
    assert_contains "$cfg" "$k" "config key"
done
assert_eq "$(head -n 1 "$D/config")" "# Template used to create this container: $TOP/templates/cnt-busybox" "header first"
# The rootfs works on its own.
assert_eq "$(chroot "$D/rootfs" /bin/sh -c 'echo ok')" ok "shell in rootfs"
assert_contains "$(cat "$D/rootfs/etc/inittab")" "::sysinit:" "inittab"
assert_contains "$(cat "$D/rootfs/etc/inittab")" "tty1::respawn:" "getty on tty1"
assert_contains "$(cat "$D/rootfs/etc/passwd")" "root:" "passwd"
assert_eq "$(cat "$D/rootfs/etc/hostname")" "$N" "hostname"

# A relative include or seccomp profile of the -f file still names the same file in the copy.
mkdir -p "$T_DIR/f"
printf 'lxc.include = inc.conf\nlxc.seccomp.profile = ../f/p.seccomp\n' > "$T_DIR/f/in.conf"
printf 'lxc.uts.name = fromf\n' > "$T_DIR/f/inc.conf"
printf '2\ndenylist\n' > "$T_DIR/f/p.seccomp"
expect_rc 0 cnt-create -P "$T_DIR/f" -n ${N}f -t none -f "$T_DIR/f/in.conf"
assert_contains "$(cat "$T_DIR/f/${N}f/config")" "lxc.include = $T_DIR/f/inc.conf" "include made absolute"
assert_contains "$(cat "$T_DIR/f/${N}f/config")" "lxc.seccomp.profile = $T_DIR/f/../f/p.seccomp" "profile made absolute"
expect_rc 0 cnt-info -P "$T_DIR/f" -n ${N}f -c lxc.uts.name -H
assert_eq "$OUT" fromf "the include is read from the copy"

# A second create of the same name is refused and leaves the first untouched.
sum=$(cat "$D/config" | md5sum)
echo marker > "$D/rootfs/marker"
expect_rc 1 cnt-create -n $N -t busybox
assert_contains "$OUT" "Container already exists"
assert_eq "$(cat "$D/config" | md5sum)" "$sum" "first config intact"
assert_eq "$(cat "$D/rootfs/marker")" marker "first rootfs intact"

# Template help, template args, bad names, no template.
expect_rc 0 cnt-create -n x -t busybox -h
assert_contains "$OUT" "--busybox"
expect_rc 1 cnt-create -n x -t nosuchtemplate
assert_contains "$OUT" "not found"
[ ! -e "$LXCPATH/x" ] || fail "missing template left a directory"
expect_rc 1 cnt-create -n x
assert_contains "$OUT" "template must be specified"
for bad in "a/b" ".hidden" "-dash" ".." "$(printf 'a\tb')" "$(head -c 65 /dev/zero | tr '\0' x)"; do
    expect_rc 1 cnt-create -n "$bad" -t busybox
    assert_contains "$OUT" "invalid container name"
done
[ -z "$(ls -A "$LXCPATH" | grep -v "^$N\$")" ] || fail "bad names left something: $(ls -A "$LXCPATH")"

# -t none: only the config; -f keeps lines verbatim, drops blank ones, expands MAC x's.
cat > "$T_DIR/in.conf" <<CONF
# my comment

   lxc.net.0.type = veth
lxc.net.0.hwaddr = 02:16:3e:xx:xx:xx
lxc.rootfs.path = dir:/somewhere
CONF
N2=n$$
cleanup_container $N2
expect_rc 0 cnt-create -n $N2 -t none -f "$T_DIR/in.conf"
c2=$(cat "$LXCPATH/$N2/config")
assert_contains "$c2" "# my comment"
assert_contains "$c2" "   lxc.net.0.type = veth"
assert_not_contains "$c2" "xx:xx"
assert_contains "$c2" "lxc.rootfs.path = dir:/somewhere"
[ "$(grep -c '^$' "$LXCPATH/$N2/config")" = 0 ] || fail "blank line kept"
printf '%s\n' "$c2" | grep -Eq '^lxc\.net\.0\.hwaddr = 02:16:3e:[0-9a-f]{2}:[0-9a-f]{2}:[0-9a-f]{2}$' || fail "MAC not expanded: $c2"
[ ! -e "$LXCPATH/$N2/rootfs" ] || fail "-t none made a rootfs"

# With a template the input's rootfs line is replaced by ours; template args reach the template.
N3=a$$
cleanup_container $N3
expect_rc 0 cnt-create -n $N3 -t busybox -f "$T_DIR/in.conf" -- --busybox=/bin/busybox
c3=$(cat "$LXCPATH/$N3/config")
assert_not_contains "$c3" "dir:/somewhere"
assert_contains "$c3" "# Parameters passed to the template: --busybox=/bin/busybox"

# -P overrides cnt.conf's lxcpath; destroy removes the dir and the run dir.
P2=$T_DIR/other
expect_rc 0 cnt-create -P "$P2" -n $N -t busybox
[ -d "$P2/$N/rootfs" ] || fail "-P ignored"
expect_rc 0 cnt-destroy -P "$P2" -n $N
assert_contains "$OUT" "Destroyed container $N"
[ ! -e "$P2/$N" ] || fail "destroy left $P2/$N"
expect_rc 1 cnt-destroy -P "$P2" -n $N
assert_contains "$OUT" "Container is not defined"
