#!/bin/bash
# A normal user on a pure cgroup2 host whose session cgroup is its own (as systemd's delegated
# user@.service makes it): cnt uses that cgroup, as the issue asks ("uses the user's own cgroup
# when it is writable"). In a private mount namespace the v1 hierarchies are unmounted and
# cgroup2 is mounted at /sys/fs/cgroup (as t-cg-v2-pure); the user's commands run in a cgroup
# of the v2 tree that the test gives to the user and moves them into. Checks: the container's
# cgroup is below the user's, freeze through cgroup.freeze, attach, stop and destroy leave
# nothing. Names up2-*.
source "$(dirname "$0")/lib.sh"
need_root
need_cmd unshare
need_cmd nsenter
need_cmd busybox
V2=$(awk '$9 == "cgroup2" {print $5; exit}' /proc/self/mountinfo)
[ -n "$V2" ] || skip "no cgroup2 mount on this host"
make_test_user up2-

# The user's session cgroup, owned by the user (dir, cgroup.procs, subtree_control, threads).
SESS_REL=/cnt-up2-sess-$$
SESS=$V2$SESS_REL
mkdir "$SESS" || fail "mkdir $SESS"
on_exit "find '$SESS' -depth -type d -exec rmdir {} \\; 2>/dev/null"
chown "$TEST_UID:$TEST_GID" "$SESS" "$SESS/cgroup.procs" "$SESS/cgroup.subtree_control" \
    "$SESS/cgroup.threads"
# (the leftover check looks for cnt.user.UID only: this test makes none)

cgroup2_only_ns
# As the user, in its session cgroup, inside the namespace.
as_user() {
    nsenter --mount="$NSD/mnt" sh -c 'echo $$ > "/sys/fs/cgroup'"$SESS_REL"'/cgroup.procs" &&
        exec "$@"' sh setpriv --reuid="$TEST_UID" --regid="$TEST_GID" --init-groups \
        env -i HOME="$TEST_HOME" USER="$TEST_USER" PATH="$TEST_USER_BIN:/usr/bin:/bin" "$@"
}
as_user mkdir -p "$TEST_HOME/.config/cnt"
as_user sh -c "printf '%s\n' 'lxc.include = $TOP/config/common.conf' 'lxc.net.0.type = empty' \
    'lxc.idmap = u 0 $TEST_USER_BASE 65536' 'lxc.idmap = g 0 $TEST_USER_BASE 65536' \
    > '$TEST_HOME/.config/cnt/default.conf'"

c=up2-a
expect_rc 0 as_user cnt-create -n $c -t busybox
on_exit "as_user cnt-stop -n $c -k; as_user cnt-destroy -n $c -f"
expect_rc 0 as_user cnt-start -n $c
expect_rc 0 as_user cnt-attach -n $c -- id -u
assert_eq "$OUT" 0 "attach as the container's root"
INIT=$(as_user cnt-info -n $c -pH)
assert_eq "$(sed -n 's/^0:://p' /proc/$INIT/cgroup)" "$SESS_REL/cnt.payload.$c/.cnt" \
    "init's cgroup (below the user's own)"
expect_rc 0 as_user cnt-freeze -n $c
assert_eq "$(cat "$SESS/cnt.payload.$c/cgroup.freeze")" 1 "frozen through cgroup.freeze"
expect_rc 0 as_user cnt-unfreeze -n $c
expect_rc 0 as_user cnt-stop -n $c
[ -e "$SESS/cnt.payload.$c" ] && fail "the container's cgroup is left after cnt-stop"
# From outside both its own cgroup and its delegation (cnt.user.UID at the v2 root), a user
# cannot move processes into the delegation: one clear error, nothing left.
mkdir "$V2/cnt.user.$TEST_UID" || fail "mkdir $V2/cnt.user.$TEST_UID"
on_exit "rmdir '$V2/cnt.user.$TEST_UID'"
chown "$TEST_UID:$TEST_GID" "$V2/cnt.user.$TEST_UID" "$V2/cnt.user.$TEST_UID/cgroup.procs"
OUT=$(nsenter --mount="$NSD/mnt" setpriv --reuid="$TEST_UID" --regid="$TEST_GID" --init-groups \
    env -i HOME="$TEST_HOME" PATH="$TEST_USER_BIN:/usr/bin:/bin" cnt-start -n $c 2>&1) &&
    fail "a start from outside the delegation succeeded"
assert_contains "$OUT" "outside its delegation"
[ -z "$(find "$V2/cnt.user.$TEST_UID" -mindepth 1 -type d)" ] || fail "cgroups left in the delegation"
expect_rc 0 as_user cnt-destroy -n $c
[ -e "$TEST_HOME/.local/share/cnt/$c" ] && fail "the container is left after cnt-destroy"
echo "PASS: $T_NAME"
