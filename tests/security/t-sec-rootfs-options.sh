# lxc.rootfs.options (ro, nosuid, nodev), lxc.rootfs.mount and the flags of mount entries
# (ro, nosuid, nodev, noexec; bind and rbind with ro) hold, checked from inside: a write fails
# with EROFS, a setuid binary gains nothing, a device node does not open, exec is refused.
# In a privileged and an idmapped container.
. "$(dirname "$0")/../integration/lib.sh"
need_root
need_cmd cc

# A setuid-root probe: prints its effective uid.
cat > "$T_DIR/euid.c" <<'C'
#include <stdio.h>
#include <unistd.h>
int main(void) { printf("euid=%d\n", (int)geteuid()); return 0; }
C
cc -static -O1 -o "$T_DIR/euid" "$T_DIR/euid.c" || fail "building the setuid probe"
# A host dir for the bind entries, and one with a submount for rbind (a plain bind of it is
# refused in a user namespace: the kernel never shows what a locked mount covers).
HOSTDIR="$T_DIR/hostdir"
RHOSTDIR="$T_DIR/rhostdir"
mkdir -p "$HOSTDIR" "$RHOSTDIR/sub"
mount -t tmpfs -o size=1m cnt-opt "$RHOSTDIR/sub" || fail "mounting a tmpfs for the rbind case"
on_exit "umount -l '$RHOSTDIR/sub'"
ROOTMNT="$T_DIR/rootmnt"
mkdir -p "$ROOTMNT"
# The idmapped container's root (an unprivileged host uid) must reach the bind sources.
chmod 0755 "$T_DIR"

# As the container's root, or as another user.
in_as() { local u=$1; shift; OUT=$(cnt-attach -P "$LXCPATH" -n "$n" -u "$u" -g "$u" "$@" 2>&1); RC=$?; }
in_c() { in_as 0 "$@"; }
start() {
    local idmap
    mapfile -t idmap < <(sec_idmap_lines "$kind")
    ct_config "$n" "lxc.mount.auto = proc:mixed sys:ro" "lxc.net.0.type = empty" \
        ${idmap[@]+"${idmap[@]}"} "$@"
    expect_rc 0 cnt-start -P "$LXCPATH" -n "$n" -d
}
stop() { expect_rc 0 cnt-stop -P "$LXCPATH" -n "$n" -k; }

# The probe, as a non-root user: with a suid mount it runs as root (the control), with nosuid not.
suid_euid() { in_as 1000 -- "$1"; echo "$OUT"; }

for kind in $(sec_kinds); do
    n=opt$kind$$
    mkdir -p "$LXCPATH/$n"
    R="$LXCPATH/$n/rootfs"
    mk_busybox_rootfs "$R"
    cp "$T_DIR/euid" "$R/bin/euid"
    mknod "$R/root/null" c 1 3
    chmod 0666 "$R/root/null"
    [ "$kind" = idmap ] && sec_shift_rootfs "$R"
    chmod 4755 "$R/bin/euid"
    on_exit "cnt-stop -P '$LXCPATH' -n '$n' -k"

    # The controls: no options, the rootfs is writable, suid and devices work.
    start
    in_c -- sh -c 'touch /written && echo ok'
    assert_contains "$OUT" ok "$kind: control: write to /"
    assert_contains "$(suid_euid /bin/euid)" "euid=0" "$kind: control: the setuid probe"
    in_c -- sh -c 'echo x > /root/null && echo ok'
    assert_contains "$OUT" ok "$kind: control: a device node in the rootfs"
    stop
    rm -f "$R/written"

    # ro: / refuses writes (EROFS); what init mounted on it (/dev, /proc) keeps its own flags.
    start "lxc.rootfs.options = ro" "lxc.mount.entry = tmpfs mnt/made tmpfs create=dir 0 0"
    in_c -- sh -c 'touch /written'
    assert_contains "$OUT" "Read-only file system" "$kind: ro: write to /"
    [ ! -e "$R/written" ] || fail "$kind: ro: a file was written in the rootfs"
    in_c -- sh -c 'touch /dev/ok /mnt/made/ok && echo ok'
    assert_contains "$OUT" ok "$kind: ro: /dev and an entry's tmpfs stay writable"
    in_c -- grep " / " /proc/self/mounts
    assert_contains "$OUT" " ro," "$kind: ro: / in /proc/self/mounts"
    stop

    # nosuid and nodev: the probe keeps the caller's uid, the node does not open.
    start "lxc.rootfs.options = nosuid,nodev"
    assert_contains "$(suid_euid /bin/euid)" "euid=1000" "$kind: nosuid"
    in_c -- sh -c 'echo x > /root/null'
    assert_contains "$OUT" "Permission denied" "$kind: nodev"
    in_c -- sh -c 'touch /written && echo ok'
    assert_contains "$OUT" ok "$kind: nosuid,nodev: / stays writable"
    stop
    rm -f "$R/written"

    # lxc.rootfs.mount: the rootfs mounted elsewhere first; ro still holds.
    start "lxc.rootfs.mount = $ROOTMNT" "lxc.rootfs.options = ro,nosuid"
    in_c -- sh -c 'touch /written'
    assert_contains "$OUT" "Read-only file system" "$kind: rootfs.mount + ro"
    assert_contains "$(suid_euid /bin/euid)" "euid=1000" "$kind: rootfs.mount + nosuid"
    stop

    # Mount entries' flags.
    start "lxc.mount.entry = $HOSTDIR mnt/ro none bind,ro,create=dir 0 0" \
          "lxc.mount.entry = $RHOSTDIR mnt/rro none rbind,ro,create=dir 0 0" \
          "lxc.mount.entry = tmpfs mnt/tro tmpfs ro,create=dir 0 0" \
          "lxc.mount.entry = bin mnt/nx none bind,relative,noexec,create=dir 0 0" \
          "lxc.mount.entry = bin mnt/ns none bind,relative,nosuid,create=dir 0 0" \
          "lxc.mount.entry = root mnt/nd none bind,relative,nodev,create=dir 0 0"
    for d in /mnt/ro /mnt/rro /mnt/rro/sub /mnt/tro; do
        in_c -- sh -c "touch $d/written"
        assert_contains "$OUT" "Read-only file system" "$kind: entry $d"
    done
    [ ! -e "$HOSTDIR/written" ] && [ ! -e "$RHOSTDIR/sub/written" ] || fail "$kind: written through a ro bind"
    in_c -- /mnt/nx/euid
    assert_not_contains "$OUT" "euid=" "$kind: noexec entry"
    [ "$RC" != 0 ] || fail "$kind: exec on a noexec entry succeeded"
    assert_contains "$(suid_euid /mnt/ns/euid)" "euid=1000" "$kind: nosuid entry"
    assert_contains "$(suid_euid /bin/euid)" "euid=0" "$kind: the rootfs itself keeps suid"
    in_c -- sh -c 'echo x > /mnt/nd/null'
    assert_contains "$OUT" "Permission denied" "$kind: nodev entry"
    stop
    sec_end "$n"
done
exit 0
