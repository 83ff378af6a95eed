# cnt-checkconfig: sections, line format, vlan missing on this kernel, exit status, $CONFIG.
. "$(dirname "$0")/lib.sh"

OUT=$(cnt-checkconfig 2>&1); rc=$?
for s in Namespaces "Control groups" Network Misc Checkpoint/Restore; do
    assert_contains "$OUT" "--- $s ---"
done
# Not a tty: no colour codes.
assert_not_contains "$OUT" $'\033['
# Every feature line is "Label: enabled|missing|required|unknown[ (note)]".
bad=$(echo "$OUT" | sed -n '/^--- Namespaces/,/^--- Other/p' | grep -v '^---' | grep -v '^Cgroup \(layout\|v[12] mount point\):' \
    | grep -vE '^[^:]+: (enabled|missing|required|unknown)( \(.*\))?$')
assert_eq "$bad" "" "malformed feature lines"
assert_contains "$OUT" "Pid namespace: enabled"
assert_contains "$OUT" "Network namespace: enabled"
# This kernel has no 802.1q (CONFIG_VLAN_8021Q off): reported, not fatal.
if [ -e /proc/config.gz ] && ! gzip -dc /proc/config.gz | grep -q '^CONFIG_VLAN_8021Q=[ym]'; then
    assert_contains "$OUT" "Vlan: missing"
fi
assert_contains "$OUT" "Cgroup layout: "
assert_eq "$rc" 0 "nothing required is missing here"

# A kernel config without PID namespaces: required feature missing -> exit 1.
cfg="$T_DIR/kconfig"
cat > "$cfg" <<'K'
CONFIG_NAMESPACES=y
CONFIG_UTS_NS=y
CONFIG_IPC_NS=y
CONFIG_NET_NS=y
CONFIG_CGROUPS=y
CONFIG_VETH=m
# CONFIG_VLAN_8021Q is not set
K
OUT=$(CONFIG="$cfg" cnt-checkconfig 2>&1); rc=$?
assert_eq "$rc" 1 "missing required feature"
assert_contains "$OUT" "Kernel configuration found at $cfg"
assert_contains "$OUT" "Pid namespace: required"
assert_contains "$OUT" "Veth pair device: enabled (module)"
assert_contains "$OUT" "Vlan: missing"
gzip -c "$cfg" > "$cfg.gz"
OUT=$(CONFIG="$cfg.gz" cnt-checkconfig 2>&1)
assert_contains "$OUT" "Veth pair device: enabled (module)"

# No kernel config at all: live probing, said so.
OUT=$(cnt-checkconfig --live 2>&1); rc=$?
assert_contains "$OUT" "live probe"
assert_contains "$OUT" "Utsname namespace: enabled (live probe)"
assert_eq "$rc" 0
