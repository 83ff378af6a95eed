# lxc.net.N.script.up/down follow lxc.hook.version: version 0 gets `<name> net <up|down> <type>
# <link> <peer>` as arguments, version 1 only `<type> <link> <peer>` and LXC_HOOK_TYPE,
# LXC_HOOK_SECTION, LXC_NET_TYPE/PARENT/PEER; both see the hooks' LXC_* environment
# (LXC_NAME, LXC_CONFIG_FILE, LXC_ROOTFS_MOUNT ...), as LXC gives them.
. "$(dirname "$0")/lib.sh"
net_host
H ip link add nsbr$$ type bridge
H ip link set nsbr$$ up
script="$T_DIR/net-script"
cat > "$script" <<'SH'
#!/bin/sh
out="$(dirname "$0")/seen.$LXC_NAME.${LXC_HOOK_TYPE:-$3}"
{
    echo "args=$*"
    env | grep '^LXC_' | sort
} > "$out"
SH
chmod +x "$script"

# run_version V: a container with hook version V whose veth scripts record what they saw.
run_version() {
    local v=$1 c=ns$1-$$
    mk_busybox "$c" "lxc.hook.version = $v" "lxc.net.0.type = veth" "lxc.net.0.link = nsbr$$" \
        "lxc.net.0.veth.pair = nsv$v$$" "lxc.net.0.script.up = $script" \
        "lxc.net.0.script.down = $script"
    start "$c"
    stop "$c"
}

run_version 0
c=ns0-$$
up=$(cat "$T_DIR/seen.$c.up") || fail "version 0: script.up did not run"
down=$(cat "$T_DIR/seen.$c.down") || fail "version 0: script.down did not run"
assert_contains "$up" "args=$c net up veth nsbr$$ nsv0$$" "version 0 script.up arguments"
assert_contains "$down" "args=$c net down veth nsbr$$ nsv0$$" "version 0 script.down arguments"
for seen in "$up" "$down"; do
    assert_contains "$seen" "LXC_NAME=$c" "version 0 environment"
    assert_contains "$seen" "LXC_HOOK_VERSION=0" "version 0 environment"
    assert_contains "$seen" "LXC_CONFIG_FILE=$LXCPATH/$c/config" "version 0 environment"
    assert_contains "$seen" "LXC_ROOTFS_PATH=$LXCPATH/$c/rootfs" "version 0 environment"
    assert_contains "$seen" "LXC_ROOTFS_MOUNT=" "version 0 environment"
    assert_not_contains "$seen" "LXC_NET_TYPE" "version 0 environment"
done

run_version 1
c=ns1-$$
up=$(cat "$T_DIR/seen.$c.up") || fail "version 1: script.up did not run"
down=$(cat "$T_DIR/seen.$c.down") || fail "version 1: script.down did not run"
assert_contains "$up" "args=veth nsbr$$ nsv1$$" "version 1 script.up arguments"
assert_not_contains "$up" " net up" "version 1 script.up arguments"
assert_contains "$down" "args=veth nsbr$$ nsv1$$" "version 1 script.down arguments"
for seen in "$up" "$down"; do
    assert_contains "$seen" "LXC_NAME=$c" "version 1 environment"
    assert_contains "$seen" "LXC_HOOK_VERSION=1" "version 1 environment"
    assert_contains "$seen" "LXC_HOOK_SECTION=net" "version 1 environment"
    assert_contains "$seen" "LXC_NET_TYPE=veth" "version 1 environment"
    assert_contains "$seen" "LXC_NET_PARENT=nsbr$$" "version 1 environment"
    assert_contains "$seen" "LXC_NET_PEER=nsv1$$" "version 1 environment"
    assert_contains "$seen" "LXC_CONFIG_FILE=$LXCPATH/$c/config" "version 1 environment"
    assert_contains "$seen" "LXC_ROOTFS_PATH=$LXCPATH/$c/rootfs" "version 1 environment"
done
assert_contains "$up" "LXC_HOOK_TYPE=up" "version 1 script.up environment"
assert_contains "$down" "LXC_HOOK_TYPE=down" "version 1 script.down environment"
echo "ok: $T_NAME"
