# Hooks: run at their stage, see LXC's variables, and a failing one aborts the start.
. "$(dirname "$0")/lib.sh"
need_root
n=c$$
hookdir="$T_DIR/hooks"
mkdir -p "$hookdir"
cat > "$hookdir/host" <<HOOK
#!/bin/sh
# A slow post-stop hook: cnt-stop returns only after it (the monitor's teardown includes it).
[ "\$3" = post-stop ] && sleep 0.5
env | grep '^LXC_' | sort > "$hookdir/env.\$3"
echo "\$@" > "$hookdir/args.\$3"
HOOK
chmod +x "$hookdir/host"
mk_busybox "$n" "lxc.hook.pre-start = $hookdir/host" "lxc.hook.post-stop = $hookdir/host" \
    "lxc.hook.mount = $hookdir/host" "lxc.hook.start = /bin/touch /tmp/start-hook-ran"
expect_rc 0 cnt-start -P "$LXCPATH" -n "$n"
[ -f "$hookdir/env.pre-start" ] || fail "pre-start hook did not run"
env=$(cat "$hookdir/env.pre-start")
assert_contains "$env" "LXC_NAME=$n"
assert_contains "$env" "LXC_CONFIG_FILE=$LXCPATH/$n/config"
assert_contains "$env" "LXC_ROOTFS_PATH=$LXCPATH/$n/rootfs"
assert_contains "$env" "LXC_ROOTFS_MOUNT="
assert_contains "$env" "LXC_HOOK_TYPE=pre-start"
assert_contains "$env" "LXC_HOOK_SECTION=lxc"
assert_contains "$env" "LXC_HOOK_VERSION=0"
assert_contains "$env" "LXC_CGNS_AWARE=1"
assert_eq "$(cat "$hookdir/args.pre-start")" "$n lxc pre-start" "version 0 arguments"
[ -f "$hookdir/env.mount" ] || fail "mount hook did not run"
expect_rc 0 cnt-attach -P "$LXCPATH" -n "$n" -- test -e /tmp/start-hook-ran
expect_rc 0 cnt-stop -P "$LXCPATH" -n "$n" -k
[ -f "$hookdir/env.post-stop" ] || fail "post-stop hook did not run"
exit 0
