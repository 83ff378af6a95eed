#!/bin/bash
# A normal user (no sudo) runs the whole lifecycle: cnt-create -t busybox, cnt-start with the
# shipped common.conf (console and ttys), cnt-attach as the container's root, cnt-freeze,
# cnt-ls, cnt-info, cnt-stop, cnt-destroy. Its maps go through newuidmap/newgidmap, its cgroups
# below its delegation (cnt.user.UID), its files in ~/.local/share/cnt, ~/.config/cnt and
# ~/.cache/cnt. The binaries are run from this tree's bin/ when the user may (here: /work is
# mode 755), else from a copy (make_test_user).
source "$(dirname "$0")/lib.sh"
need_root
need_cmd busybox
make_test_user up-
run_as_user test -x "$TEST_USER_BIN/cnt-start" || fail "the user cannot run $TEST_USER_BIN/cnt-start"
U=$TEST_USER BASE=$TEST_USER_BASE
ULXC=$TEST_HOME/.local/share/cnt
as_user() { run_as_user "$@"; }

# 1. Without a default.conf, cnt-create says exactly what to write.
OUT=$(as_user cnt-create -n up-a -t busybox 2>&1) && fail "create without maps succeeded"
assert_contains "$OUT" "$TEST_HOME/.config/cnt/default.conf"
assert_contains "$OUT" "lxc.idmap = u 0 $BASE 65536"
assert_contains "$OUT" "lxc.idmap = g 0 $BASE 65536"
[ -e "$ULXC/up-a" ] && fail "a failed create left $ULXC/up-a"

as_user mkdir -p "$TEST_HOME/.config/cnt"
printf '%s\n' "$OUT" | sed -n '/^lxc\./p' | as_user sh -c "cat > '$TEST_HOME/.config/cnt/default.conf'"
grep -q "^lxc.include = .*common.conf" "$TEST_HOME/.config/cnt/default.conf" ||
    fail "the suggested default.conf has no common.conf"

# 2. A map outside the user's /etc/subuid range: refused, naming the file and line.
as_user sh -c "cp '$TEST_HOME/.config/cnt/default.conf' '$TEST_HOME/bad.conf' &&
    echo 'lxc.idmap = u 0 100000 65536' > '$TEST_HOME/bad.conf'"
OUT=$(as_user cnt-create -n up-bad -t busybox -f "$TEST_HOME/bad.conf" 2>&1) &&
    fail "create with a foreign map succeeded"
assert_contains "$OUT" "$TEST_HOME/bad.conf:1"
assert_contains "$OUT" "/etc/subuid"

# A template that fails half-way: what it made (owned by the range) is removed all the same.
as_user sh -c "printf '%s\n' '#!/bin/sh' 'for a; do case \$a in --rootfs=*) r=\${a#*=};; esac; done' \
    'mkdir -p \$r/etc/deep && touch \$r/etc/deep/file && chmod 700 \$r/etc/deep' 'exit 3' \
    > '$TEST_HOME/bad-tpl' && chmod 755 '$TEST_HOME/bad-tpl'"
OUT=$(as_user cnt-create -n up-half -t "$TEST_HOME/bad-tpl" 2>&1) && fail "the failing template passed"
assert_contains "$OUT" "exited with status 3"
[ -e "$ULXC/up-half" ] && fail "a failed create left $(find "$ULXC/up-half" | head -5)"

# 3. Create: the rootfs belongs to the subordinate range.
expect_rc 0 as_user cnt-create -n up-a -t busybox
on_exit "run_as_user cnt-stop -n up-a -k; run_as_user cnt-destroy -n up-a -f"
[ -f "$ULXC/up-a/config" ] || fail "no config in $ULXC/up-a"
assert_eq "$(stat -c %u:%g "$ULXC/up-a/rootfs")" "$BASE:$BASE" "rootfs owner"
assert_eq "$(stat -c %u "$ULXC/up-a/rootfs/bin/busybox")" "$BASE" "busybox owner"
assert_eq "$(stat -c %U "$ULXC/up-a/config")" "$U" "config owner"

# A host file that only the host's root may read, bound into the container.
chmod 711 "$T_DIR"
mkdir -m 755 "$T_DIR/pub"
echo host-secret > "$T_DIR/pub/secret"
chmod 600 "$T_DIR/pub/secret"
echo "lxc.mount.entry = $T_DIR/pub/secret root/secret none bind,create=file 0 0" |
    as_user sh -c "cat >> '$ULXC/up-a/config'"

# Networks: empty, none and veth on a bridge (cnt-user-nic's: t-unpriv-user-net), and none
# without sysfs.
OUT=$(as_user cnt-start -n up-a -s lxc.net.0.type=macvlan -s lxc.net.0.link=lo 2>&1) &&
    fail "a user's macvlan started"
assert_contains "$OUT" '`empty`, `none` and `veth` (through cnt-user-nic) networks'
OUT=$(as_user cnt-start -n up-a -s lxc.net.0.type=veth 2>&1) && fail "a user's veth without a bridge started"
assert_contains "$OUT" "a user's veth needs a host bridge"
OUT=$(as_user cnt-start -n up-a -s lxc.net.0.type=none 2>&1) && fail "none with sys:ro started"
assert_contains "$OUT" "cannot mount /sys"

# 4. No delegation: one clear message.
OUT=$(as_user cnt-start -n up-a 2>&1) && fail "start without a cgroup delegation succeeded"
assert_contains "$OUT" "cnt-delegate"
assert_eq "$(printf "%s\n" "$OUT" | grep -c delegate)" 1 "one message about the delegation"

# 5. With it: start, and what the container sees.
delegate_test_user
expect_rc 0 as_user cnt-start -n up-a
expect_rc 0 as_user cnt-attach -n up-a -- cat /proc/self/uid_map
assert_eq "$(echo $OUT)" "0 $BASE 65536" "uid_map inside"
expect_rc 0 as_user cnt-attach -n up-a -- cat /proc/self/gid_map
assert_eq "$(echo $OUT)" "0 $BASE 65536" "gid_map inside"
expect_rc 0 as_user cnt-attach -n up-a -- id -u
assert_eq "$OUT" 0 "attach enters as the container's root"
expect_rc 0 as_user cnt-attach -n up-a -- cat /proc/1/comm
assert_eq "$OUT" init "pid 1 inside"
expect_rc 0 as_user cnt-attach -n up-a -- ls -ln /dev/console
assert_contains "$OUT" " 0 " "the console belongs to the container's root"
expect_rc 0 as_user cnt-attach -n up-a -- ps
assert_contains "$OUT" "getty -L 38400 console"
assert_contains "$OUT" "getty -L 38400 tty1"
expect_rc 0 as_user cnt-attach -n up-a -- cat /sys/class/net/lo/operstate
assert_contains "$OUT" "unknown" "lo is up"
# A file made by root inside is owned by the range's first uid on the host.
expect_rc 0 as_user cnt-attach -n up-a -- touch /root/made-inside
assert_eq "$(stat -c %u:%g "$ULXC/up-a/rootfs/root/made-inside")" "$BASE:$BASE" "owner on the host"
# The host's root-only file is nobody's inside, and unreadable even by the container's root.
expect_rc 0 as_user cnt-attach -n up-a -- stat -c %u:%a /root/secret
assert_eq "$OUT" "65534:600" "the host file's owner and mode inside"
OUT=$(as_user cnt-attach -n up-a -- cat /root/secret 2>&1) && fail "the container read a host file of mode 600: $OUT"
assert_not_contains "$OUT" host-secret
# On the host, the container's processes run as the range, the monitor as the user.
INIT=$(as_user cnt-info -n up-a -pH)
assert_eq "$(awk '$1 == "Uid:" { print $2 }' /proc/$INIT/status)" "$BASE" "init's host uid"
MON=$(sed -n 's/^monitor_pid=//p' "$TEST_HOME"/.cache/cnt/run/*/up-a/state)
assert_eq "$(awk '$1 == "Uid:" { print $2 }' /proc/$MON/status)" "$TEST_UID" "the monitor's uid"
# Its cgroups are below the delegation.
for h in memory pids freezer; do
    grep -qx "$INIT" /sys/fs/cgroup/$h/cnt.user.$TEST_UID/cnt.payload.up-a/.cnt/cgroup.procs ||
        fail "init is not in $h/cnt.user.$TEST_UID/cnt.payload.up-a/.cnt"
done

# 6. cnt-ls, cnt-info, freeze.
expect_rc 0 as_user cnt-ls -f -F name,state,unprivileged
assert_contains "$OUT" "up-a RUNNING true"
expect_rc 0 as_user cnt-freeze -n up-a
expect_rc 0 as_user cnt-info -n up-a -s
assert_contains "$OUT" FROZEN
expect_rc 0 as_user cnt-unfreeze -n up-a
expect_rc 0 as_user cnt-info -n up-a -s
assert_contains "$OUT" RUNNING

# 7. Stop and destroy leave nothing: no process of the range, no cgroup, no rootfs.
expect_rc 0 as_user cnt-stop -n up-a
[ -d /proc/$INIT ] && fail "init $INIT still runs after cnt-stop"
LEFT=$(find /sys/fs/cgroup/*/cnt.user.$TEST_UID -mindepth 1 -type d 2>/dev/null)
[ -z "$LEFT" ] || fail "cgroups left after cnt-stop: $LEFT"
expect_rc 0 as_user cnt-destroy -n up-a
[ -e "$ULXC/up-a" ] && fail "$ULXC/up-a left after cnt-destroy"
LEFT=$(awk -v b="$BASE" '$1 == "Uid:" && $2 >= b && $2 < b + 65536 { print FILENAME }' /proc/[0-9]*/status 2>/dev/null)
[ -z "$LEFT" ] || fail "processes of the range left: $LEFT"
echo "PASS: $T_NAME"
