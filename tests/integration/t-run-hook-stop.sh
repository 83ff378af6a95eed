# lxc.hook.stop: run on the host after init died, with one TYPE:/proc/PID/fd/N argument per
# namespace of the container, through which the hook can still enter them.
. "$(dirname "$0")/lib.sh"
need_root
need_cmd nsenter
n=c$$
hookdir="$T_DIR/hooks"
mkdir -p "$hookdir"
cat > "$hookdir/stop" <<HOOK
#!/bin/sh
echo "\$@" > "$hookdir/args"
init=\$(cat "$hookdir/init")
[ -e /proc/\$init/ns ] && echo "init-alive" > "$hookdir/init-state" || echo "init-gone" > "$hookdir/init-state"
for a in "\$@"; do
    case \$a in
    net:*) p=\${a#net:}
           readlink "\$p" > "$hookdir/net-link"
           nsenter --net="\$p" ip -o link > "$hookdir/net-links" 2>&1 ;;
    uts:*) nsenter --uts="\${a#uts:}" hostname > "$hookdir/uts-hostname" 2>&1 ;;
    esac
done
HOOK
chmod +x "$hookdir/stop"
mk_busybox "$n" "lxc.hook.stop = $hookdir/stop" "lxc.net.0.type = veth" "lxc.net.0.name = inside$$" \
    "lxc.net.0.flags = up"
expect_rc 0 cnt-start -P "$LXCPATH" -n "$n"
init=$(cnt-info -P "$LXCPATH" -n "$n" -p -H)
echo "$init" > "$hookdir/init"
netns=$(readlink /proc/"$init"/ns/net)
expect_rc 0 cnt-stop -P "$LXCPATH" -n "$n" -k
[ -f "$hookdir/args" ] || fail "stop hook did not run"
args=$(cat "$hookdir/args")
# Version 0: name, section, type, then the namespaces (the monitor's fds).
case $args in "$n lxc stop "*) ;; *) fail "stop hook arguments: [$args]";; esac
for ns in mnt pid uts ipc net cgroup; do
    assert_contains "$args" " $ns:/proc/" "namespace $ns passed"
done
assert_eq "$(cat "$hookdir/init-state")" "init-gone" "init when the hook ran"
assert_eq "$(cat "$hookdir/net-link")" "$netns" "the net namespace the hook got"
assert_contains "$(cat "$hookdir/net-links")" "inside$$" "interfaces seen through nsenter --net"
assert_eq "$(cat "$hookdir/uts-hostname")" "$n" "hostname seen through nsenter --uts"
exit 0
