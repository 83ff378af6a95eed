# cnt-config: the settings in effect from the cnt.conf the tools read ($CNT_CONF), under LXC's
# names and cnt.conf's, with lxc-config's output and exit codes.
. "$(dirname "$0")/lib.sh"
cat >> "$CNT_CONF" <<CONF
[log]
level = WARN
[cgroup]
delegate = alice, bob
CONF
expect_rc 0 cnt-config lxc.lxcpath
assert_eq "$OUT" "$LXCPATH"
expect_rc 0 cnt-config paths.lxcpath
assert_eq "$OUT" "$LXCPATH"
expect_rc 0 cnt-config lxc.default_config
assert_eq "$OUT" "$TOP/config/default.conf"
expect_rc 0 cnt-config paths.rundir
assert_eq "$OUT" "/run/cnt-test/$(basename "$T_DIR")"
expect_rc 0 cnt-config log.level
assert_eq "$OUT" WARN
expect_rc 0 cnt-config cgroup.delegate
assert_eq "$OUT" "alice bob"
expect_rc 0 cnt-config -l
assert_contains "$OUT" "lxc.lxcpath"
assert_contains "$OUT" "paths.template_dir"
expect_rc 1 cnt-config lxc.nosuch
assert_eq "$OUT" "cnt-config: Unknown configuration item: lxc.nosuch"
expect_rc 0 cnt-config
assert_contains "$OUT" "Usage: cnt-config"
# A setting left empty says so, as lxc-config does.
sed -i '/^delegate/d' "$CNT_CONF"
expect_rc 0 cnt-config cgroup.delegate
assert_eq "$OUT" "cgroup.delegate is not set."
# The tools use what cnt-config prints: a container made with no -P lands there.
expect_rc 0 cnt-create -n tb-cfg$$ -t none
[ -f "$(cnt-config lxc.lxcpath)/tb-cfg$$/config" ] || fail "not created in cnt-config's lxcpath"
expect_rc 0 cnt-destroy -n tb-cfg$$
