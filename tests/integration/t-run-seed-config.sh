# The seed-era config (LXC 0.6.3 talk) starts, with its rootfs and phys link adapted:
# legacy keys, 6 ttys, 256 ptys, a device whitelist, a phys interface from a veth pair.
. "$(dirname "$0")/lib.sh"
need_root
need_cmd ip
seed="$TOP/tests/seed/seed-lxc-0.6.3.conf"
[ -f "$seed" ] || fail "missing $seed"
n=c$$
mk_busybox "$n"
rootfs="$LXCPATH/$n/rootfs"
host=vs$$ peer=vp$$
ip link add "$host" type veth peer name "$peer" || skip "cannot create a veth pair"
on_exit "ip link del '$host'"
sed -e "s|^lxc.rootfs = .*|lxc.rootfs = $rootfs|" -e "s|^lxc.network.link = veth1|lxc.network.link = $peer|" \
    "$seed" > "$LXCPATH/$n/config"
out=$(cnt-start -P "$LXCPATH" -n "$n" 2>&1) || fail "seed config did not start: $out"
net=1
expect_rc 0 cnt-attach -P "$LXCPATH" -n "$n" -- hostname
assert_eq "$OUT" "beta" "lxc.utsname"
expect_rc 0 cnt-attach -P "$LXCPATH" -n "$n" -- sh -c 'ls /dev/tty[0-9]* | wc -l'
assert_eq "$OUT" "6" "lxc.tty = 6"
expect_rc 0 cnt-attach -P "$LXCPATH" -n "$n" -- sh -c 'mount -t proc proc /proc 2>/dev/null; grep devpts /proc/mounts'
assert_contains "$OUT" "max=256"
if [ $net = 1 ]; then
    expect_rc 0 cnt-attach -P "$LXCPATH" -n "$n" -- ip addr
    assert_contains "$OUT" "10.0.0.2/24"
    assert_contains "$OUT" "4a:49:43:49:79:bf"
fi
expect_rc 0 cnt-stop -P "$LXCPATH" -n "$n" -k
if [ $net = 1 ]; then ip link show "$peer" >/dev/null 2>&1 || fail "phys interface not given back"; fi
exit 0
