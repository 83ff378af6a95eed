# Runtime test helpers (sourced after lib.sh): a busybox container built by hand.

# mk_busybox_rootfs DIR: a static busybox with every applet linked, root in passwd/group, and
# a shell-free inittab so busybox init idles (SIGUSR1 halts it).
mk_busybox_rootfs() {
    local r=$1 bb app
    bb=$(command -v busybox) || skip "needs busybox"
    mkdir -p "$r"/{bin,sbin,etc,proc,sys,dev,tmp,root,usr/bin,usr/sbin}
    cp "$bb" "$r/bin/busybox"
    for app in $("$bb" --list-full); do
        [ -e "$r/$app" ] || ln -s /bin/busybox "$r/$app"
    done
    echo "root:x:0:0:root:/root:/bin/sh" > "$r/etc/passwd"
    echo "root:x:0:" > "$r/etc/group"
    printf '::sysinit:/bin/true\n::respawn:/bin/sleep 100000\n' > "$r/etc/inittab"
}

# mk_busybox NAME [extra config lines...]: rootfs + config in $LXCPATH/NAME, cleaned up at exit.
mk_busybox() {
    local name=$1; shift
    local dir="$LXCPATH/$name"
    mk_busybox_rootfs "$dir/rootfs"
    {
        echo "lxc.rootfs.path = dir:$dir/rootfs"
        echo "lxc.uts.name = $name"
        echo "lxc.mount.auto = proc:mixed sys:ro"
        echo "lxc.signal.halt = SIGUSR1"
        echo "lxc.pty.max = 4"
        echo "lxc.net.0.type = empty"
        local l
        for l in "$@"; do echo "$l"; done
    } > "$dir/config"
    on_exit "cnt-stop -P '$LXCPATH' -n '$name' -k"
}

# Wait (bounded, event-free polling of a cheap condition) until a command succeeds.
wait_for() {
    local i
    for i in $(seq 1 100); do "$@" >/dev/null 2>&1 && return 0; sleep 0.1; done
    return 1
}
