# cnt-update-config: the LXC 0.6.3 seed config (and more legacy keys) rewritten in place with a
# backup; comments, order and spacing kept; the result loads to the same values in cnt and, key
# for key, to what lxc-update-config's result gives in LXC 5.0.2 itself.
. "$(dirname "$0")/lib.sh"
need_cmd lxc-update-config
need_cmd lxc-info
mk() { mkdir -p "$1"; cp "$T_DIR/legacy.conf" "$1/config"; }
{
    cat "$TOP/tests/seed/seed-lxc-0.6.3.conf"
    printf '%s\n' "lxc.rootfs.backend = dir" "lxc.network.type = veth" "  # lxc.utsname = kept" \
        "lxc.network.ipv4=10.1.1.1/24" "lxc.limit.nofile = 100" "lxc.network.type = empty" \
        "lxc.haltsignal = SIGTERM" "lxc.kmsg = 0"
} > "$T_DIR/legacy.conf"
mk "$LXCPATH/old"; mk "$LXCPATH/new"; mk "$T_DIR/lxc/lxcnew"
# (lxc-update-config leaves lxc.limit.* as is, which LXC 5 then refuses: not in its copy)
sed -i '/^lxc.limit/d' "$T_DIR/lxc/lxcnew/config"
F="$LXCPATH/new/config"
chmod 640 "$F"

expect_rc 0 cnt-update-config -c "$F"
cmp -s "$F.backup" "$T_DIR/legacy.conf" || fail "the backup is not the original"
assert_eq "$(stat -c %a "$F")" 640 "mode kept"
# Comments and blank lines as they were, in the same places; one line less per dropped key.
assert_eq "$(grep -n '^ *#\|^$' "$F" | sed 's/:.*//' | wc -l)" \
    "$(grep -n '^ *#\|^$' "$T_DIR/legacy.conf" | wc -l)" "comment lines"
grep -qx "  # lxc.utsname = kept" "$F" || fail "a comment was rewritten"
assert_eq "$(wc -l < "$F")" "$(( $(wc -l < "$T_DIR/legacy.conf") - 2 ))" \
    "lines (backend and kmsg go)"
grep -qx "lxc.net.1.ipv4.address=10.1.1.1/24" "$F" || fail "spacing not kept: $(grep ipv4 "$F")"
# No legacy key left: cnt loads it without a deprecation warning.
expect_rc 0 cnt-info -n new --check
assert_not_contains "$OUT" "deprecated"
keys="lxc.uts.name lxc.net.0.type lxc.net.0.flags lxc.net.0.link lxc.net.0.hwaddr
      lxc.net.0.ipv4.address lxc.net.0.ipv6.address lxc.net.1.type lxc.net.1.ipv4.address
      lxc.net.2.type lxc.pty.max lxc.tty.max lxc.rootfs.path lxc.cgroup.devices.allow
      lxc.prlimit.nofile lxc.signal.halt"
for k in $keys; do
    assert_eq "$(cnt-info -n new -c $k 2>&1)" "$(cnt-info -n old -c $k 2>&1)" \
        "cnt: $k before and after"
done
# LXC 5 refuses the legacy file but loads cnt's rewrite, with the values of its own rewrite.
lxc-update-config -c "$T_DIR/lxc/lxcnew/config" || fail "lxc-update-config failed"
mkdir -p "$T_DIR/lxc/cntnew"; cp "$F" "$T_DIR/lxc/cntnew/config"
for k in $keys; do
    [ "$k" = lxc.prlimit.nofile ] && continue
    a=$(lxc-info -P "$T_DIR/lxc" -n cntnew -c $k 2>&1)
    b=$(lxc-info -P "$T_DIR/lxc" -n lxcnew -c $k 2>&1)
    assert_eq "$a" "$b" "lxc-info -c $k: cnt's rewrite vs lxc-update-config's"
done

# Nothing legacy: nothing written, no backup.
rm "$F.backup"
expect_rc 0 cnt-update-config -c "$F"
[ -e "$F.backup" ] && fail "a backup of a current config was written"
# An un-indexed key before any lxc.network.type: refused with its line, file untouched.
printf 'lxc.utsname = x\nlxc.network.link = br0\n' > "$T_DIR/bad.conf"
expect_rc 1 cnt-update-config -c "$T_DIR/bad.conf"
assert_contains "$OUT" "bad.conf:2: lxc.network.link: no interface yet"
assert_eq "$(cat "$T_DIR/bad.conf")" "$(printf 'lxc.utsname = x\nlxc.network.link = br0')"
[ -e "$T_DIR/bad.conf.backup" ] && fail "a refused update left a backup"
expect_rc 1 cnt-update-config -c "$T_DIR/nosuch.conf"
expect_rc 0 cnt-update-config
assert_contains "$OUT" "Usage: cnt-update-config"
