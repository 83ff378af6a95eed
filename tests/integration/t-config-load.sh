# Every lxc.conf-format file we ship or keep as a sample loads: config/*.conf (the sysconf INI
# file only warns), the LXC 0.6.3 seed (legacy keys: warnings only) and the test corpus.
# Then cnt-info's -c/-H/--check behaviour on a container.
. "$(dirname "$0")/lib.sh"
n="cfg$$"
for f in "$TOP"/config/*.conf "$TOP/tests/seed/seed-lxc-0.6.3.conf" "$TOP"/tests/configs/[a-z]*.conf; do
    [ -f "$f" ] || continue
    case "$f" in */include.conf) continue ;; esac   # needs @DIR@ substitution (diff test)
    expect_rc 0 cnt-info -P "$LXCPATH" -n "$n" --rcfile "$f" --check
done
expect_rc 0 cnt-info -P "$LXCPATH" -n "$n" --rcfile "$TOP/config/default.conf" --check
assert_eq "$OUT" "" "default.conf has no warnings"
expect_rc 0 cnt-info -P "$LXCPATH" -n "$n" --rcfile "$TOP/tests/seed/seed-lxc-0.6.3.conf" --check
assert_contains "$OUT" 'deprecated key "lxc.utsname", use "lxc.uts.name"'

mkdir -p "$LXCPATH/$n"
cat > "$LXCPATH/$n/config" <<'CONF'
lxc.uts.name = web
lxc.mount.entry = a b none bind 0 0
lxc.mount.entry = c d none bind 0 0
CONF
expect_rc 0 cnt-info -P "$LXCPATH" -n "$n" -c lxc.uts.name -H
assert_eq "$OUT" "web"
expect_rc 0 cnt-info -P "$LXCPATH" -n "$n" -c lxc.uts.name -c lxc.tty.dir
assert_eq "$OUT" "lxc.uts.name = web
lxc.tty.dir ="
expect_rc 0 cnt-info -P "$LXCPATH" -n "$n" -c lxc.mount.entry
assert_eq "$OUT" "lxc.mount.entry = a b none bind 0 0
c d none bind 0 0"
expect_rc 0 cnt-info -P "$LXCPATH" -n "$n" -c lxc.nosuch
assert_eq "$OUT" "lxc.nosuch invalid"
expect_rc 1 cnt-info -P "$LXCPATH" -n "nosuch$$" -c lxc.uts.name
assert_contains "$OUT" "nosuch$$ doesn't exist"

# A broken config: every error, with file:line, exit 1.
printf 'lxc.uts.name = x\nlxc.tty.max = abc\nlxc.net.0.ipv4.adress = 1.2.3.4/24\n' > "$LXCPATH/$n/config"
expect_rc 1 cnt-info -P "$LXCPATH" -n "$n" -c lxc.uts.name
assert_contains "$OUT" "config:2: lxc.tty.max: invalid unsigned number"
assert_contains "$OUT" 'config:3: unknown key "lxc.net.0.ipv4.adress" (did you mean "lxc.net.0.ipv4.address"?)'
expect_rc 1 cnt-info -P "$LXCPATH" -n "$n" --check

# The generated man page is clean.
if command -v groff >/dev/null; then
    cnt-info --registry-man > "$T_DIR/cnt.conf.5"
    w=$(groff -man -ww -z "$T_DIR/cnt.conf.5" 2>&1)
    assert_eq "$w" "" "groff warnings in cnt.conf.5"
fi
