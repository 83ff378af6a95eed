# cnt-create -t debian (debootstrap from the host's mirror): slow, runs with CNT_SLOW=1 only.
. "$(dirname "$0")/lib.sh"
need_root
N=deb$$
cleanup_container $N
expect_rc 0 cnt-create -n $N -t debian
R=$LXCPATH/$N/rootfs
assert_contains "$OUT" "debootstrap"
. /etc/os-release
assert_contains "$(cat "$R/etc/os-release")" "VERSION_CODENAME=$VERSION_CODENAME"
assert_eq "$(chroot "$R" /bin/sh -c 'echo ok')" ok "shell in rootfs"
assert_eq "$(cat "$R/etc/hostname")" "$N" "hostname"
assert_eq "$(chroot "$R" passwd -S root | cut -d' ' -f2)" NP "root password off"
[ -L "$R/etc/systemd/system/getty.target.wants/getty@tty1.service" ] || fail "tty1 getty"
[ -x "$R/sbin/init" ] || fail "no init"
assert_contains "$(cat "$LXCPATH/$N/config")" "lxc.uts.name = $N"
expect_rc 0 cnt-destroy -n $N
[ ! -e "$LXCPATH/$N" ] || fail "destroy left the rootfs"
