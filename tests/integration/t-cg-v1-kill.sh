# Killing a container through v1 cgroups only (as on a v1 host, where there is no
# cgroup.kill): the freeze/kill/thaw loop over cgroup.procs must empty a group whose tasks keep
# forking up to pids.max. The container is started in a mount namespace where the cgroup2
# mount is read-only, so the driver makes no cgroup2 leaf (as it does for a mount it cannot
# write); the v1 paths it records are the host's, and cnt-stop runs from the host.
. "$(dirname "$0")/lib.sh"
need_root
need_cmd unshare
[ -d /sys/fs/cgroup/pids ] && [ -d /sys/fs/cgroup/freezer ] || skip "needs v1 pids and freezer hierarchies"
V2=$(awk '$9 == "cgroup2" {print $5; exit}' /proc/self/mountinfo)

P=(-P "$LXCPATH")
c=cgk$$
mk_created $c "lxc.cgroup.pids.max = 16"
before=$(leftovers $c)
if [ -n "$V2" ]; then
    expect_rc 0 unshare -m --propagation private sh -c \
        "mount -o remount,bind,ro '$V2' && cnt-start -P '$LXCPATH' -n $c -d"
else
    expect_rc 0 cnt-start "${P[@]}" -n $c -d
fi
st=$(cat "$(run_dir "$c")/state")
assert_not_contains "$st" "cgroup.v2=" "a cgroup2 leaf was made"
assert_contains "$st" "cgroup.v1." "v1 directories in the run state"

# Forkers: each keeps starting sleepers as soon as the limit lets it.
cnt-attach "${P[@]}" -n $c -- sh -c 'for i in 1 2 3; do (while :; do sleep 600 & done) >/dev/null 2>&1 & done' \
    >/dev/null 2>&1
pids=$(find /sys/fs/cgroup/pids -maxdepth 8 -type d -name "cnt.payload.$c" | head -1)
# pids.events counts the forks refused at the limit, in the cgroup of the task that forked (v1:
# the inner one, below the limit's).
full=0
for i in $(seq 200); do
    [ "$(awk '$1 == "max" {print $2}' "$pids/.cnt/pids.events")" -gt 0 ] && { full=1; break; }
    sleep 0.05
done
[ $full = 1 ] || fail "the forkers never hit pids.max ($(cat "$pids/pids.current") tasks)"

# Frozen through the v1 freezer (no cgroup2 leaf to freeze), no task can act on SIGKILL until
# thawed, and init's pid namespace cannot end: cnt-stop -k must still end it.
expect_rc 0 cnt-freeze "${P[@]}" -n $c
frz=$(find /sys/fs/cgroup/freezer -maxdepth 8 -type d -name "cnt.payload.$c" | head -1)
assert_eq "$(cat "$frz/freezer.state")" FROZEN "v1 freezer state after cnt-freeze"
expect_rc 0 cnt-stop "${P[@]}" -n $c -k
assert_eq "$(leftovers $c)" "$before" "left behind by cnt-stop -k through v1 only"
exit 0
