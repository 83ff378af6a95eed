# Helpers for the t-net-*.sh tests (sourced after lib.sh). Every test builds its "host" in a
# throwaway netns and runs the cnt tools inside it, so bridges, veth host ends and addresses
# never touch the real host.
need_root
need_cmd ip

# host_ns: make the throwaway host netns $HNS (removed at exit) and define `H` = run in it.
HNS=cnth$$
ip netns add "$HNS" || fail "ip netns add $HNS"
on_exit "ip netns del '$HNS'"
# nsenter, not `ip netns exec`: the latter remounts /sys, which hides the cgroup mounts.
H() { nsenter --net=/run/netns/"$HNS" "$@"; }
H ip link set lo up

# mk_ct NAME [config lines...]: busybox rootfs + hand-written config; stopped at exit.
mk_ct() {
    local name=$1; shift
    local dir="$LXCPATH/$name" l
    mk_busybox_rootfs "$dir/rootfs"
    {
        echo "lxc.rootfs.path = dir:$dir/rootfs"
        echo "lxc.uts.name = $name"
        echo "lxc.mount.auto = proc:mixed sys:ro"
        echo "lxc.signal.halt = SIGUSR1"
        for l in "$@"; do echo "$l"; done
    } > "$dir/config"
    on_exit "nsenter --net=/run/netns/'$HNS' cnt-stop -P '$LXCPATH' -n '$name' -k"
}
start() { expect_rc 0 H cnt-start -P "$LXCPATH" -n "$1" -d; }
stop() { expect_rc 0 H cnt-stop -P "$LXCPATH" -n "$1" -k; }
# inside NAME CMD...: run inside the container (output in $OUT, rc 0 expected).
inside() { local n=$1; shift; expect_rc 0 cnt-attach -P "$LXCPATH" -n "$n" -- "$@"; }
# Interfaces of the host netns other than lo and those the test made itself.
host_links() { H ip -o link show | awk -F': ' '{print $2}' | sed 's/@.*//' | grep -v '^lo$' | sort; }
# A stopped container's veths go with its netns, which the kernel tears down a moment after
# cnt-stop returns: wait (bounded) until the host's interfaces are $1, then print them.
host_links_settled() {
    local i
    for i in $(seq 1 100); do [ "$(host_links)" = "$1" ] && break; sleep 0.05; done
    host_links
}
