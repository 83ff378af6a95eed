# cnt-delegate: a real user gets cnt.user.UID at the root of every cgroup hierarchy, owned by
# it (directory, tasks, cgroup.procs; cgroup2 also subtree_control and threads); as that user,
# a child cgroup is made and the user's own process moved into it (every v1 hierarchy; on
# cgroup2 once root placed it in the subtree, since the common ancestor must be writable).
# --remove refuses while a process is inside, then removes the lot; --list, --boot, idempotence.
. "$(dirname "$0")/lib.sh"
need_root
need_cmd setpriv
need_cmd findmnt
make_test_user ud-
base="cnt.user.$TU_UID"
mapfile -t mounts < <(findmnt -rn -t cgroup,cgroup2 -o TARGET)
[ ${#mounts[@]} -gt 0 ] || skip "no cgroup hierarchy mounted"
v2=$(findmnt -rn -t cgroup2 -o TARGET | head -1)
# Whatever happens: no process of ours inside, then nothing of the delegation left.
pids=()
on_exit 'for m in "${mounts[@]}"; do [ -d "$m/$base" ] && find "$m/$base" -depth -type d -exec rmdir {} \; ; done'
on_exit 'for p in "${pids[@]}"; do kill -9 "$p"; done; sleep 0.2'
owner() { stat -c %U "$1" 2>/dev/null; }
# The user's shell writing $1 into file $2 must fail.
user_write_refused() {
    as_test_user sh -c "echo $1 > '$2'" 2>/dev/null && fail "$TU_NAME could write $1 into $2"
    return 0
}
# Start `sleep` as the user; its pid in $SP once it runs as the user (setpriv has exec'd it).
user_sleep() {
    local i
    # (setpriv itself in the background: the pid of a function run with & is a subshell's)
    setpriv --reuid="$TU_UID" --regid="$TU_GID" --init-groups -- sleep 600 &
    SP=$!; pids+=("$SP")
    for ((i = 0; i < 100; i++)); do
        [ "$(cat "/proc/$SP/comm" 2>/dev/null)" = sleep ] && return
        sleep 0.05
    done
    fail "sleep as $TU_NAME did not start"
}

# Refused without root, or for root, or for nobody known.
expect_rc 1 as_test_user env -u CNT_CONF "$TOP/bin/cnt-delegate" "$TU_NAME"
assert_contains "$OUT" "must be run as root"
expect_rc 1 cnt-delegate ud-no-such-user-$$
assert_contains "$OUT" "no user"
expect_rc 1 cnt-delegate root
expect_rc 1 cnt-delegate

expect_rc 0 cnt-delegate "$TU_NAME"
for m in "${mounts[@]}"; do
    d="$m/$base"
    [ -d "$d" ] || fail "no $d"
    files="tasks cgroup.procs"
    [ "$m" = "$v2" ] && files="cgroup.procs cgroup.subtree_control cgroup.threads"
    assert_eq "$(owner "$d")" "$TU_NAME" "owner of $d"
    assert_eq "$(stat -c %G "$d")" "$TU_NAME" "group of $d"
    for f in $files; do assert_eq "$(owner "$d/$f")" "$TU_NAME" "owner of $d/$f"; done
    # Nothing else is the user's: the limits stay root's.
    for f in "$d"/*; do
        case " $files " in *" ${f##*/} "*) continue;; esac
        assert_eq "$(owner "$f")" root "owner of $f"
    done
done
cpuset=$(findmnt -rn -t cgroup -o TARGET,OPTIONS | awk '$2 ~ /(^|,)cpuset(,|$)/ {print $1}')
[ -n "$cpuset" ] && { [ -n "$(cat "$cpuset/$base/cpuset.cpus")" ] || fail "cpuset.cpus not copied"; }

# Idempotent; --list (no privilege needed) says complete.
expect_rc 0 cnt-delegate "$TU_UID"
expect_rc 0 as_test_user env -u CNT_CONF "$TOP/bin/cnt-delegate" --list
assert_contains "$OUT" "$TU_UID $TU_NAME ${#mounts[@]}/${#mounts[@]} complete"

# A damaged delegation is listed as such, and repaired by running it again.
mx=${mounts[0]}
chown root "$mx/$base" "$mx/$base/cgroup.procs"
expect_rc 0 cnt-delegate --list
assert_contains "$OUT" "$TU_UID $TU_NAME $(( ${#mounts[@]} - 1 ))/${#mounts[@]} not-owned:"
expect_rc 0 cnt-delegate "$TU_NAME"
assert_eq "$(owner "$mx/$base")$(owner "$mx/$base/cgroup.procs")" "$TU_NAME$TU_NAME" "repaired"

# As the user: a child cgroup in every v1 hierarchy, and its own process moved into it.
user_sleep
sp=$SP
for m in "${mounts[@]}"; do
    [ "$m" = "$v2" ] && continue
    d="$m/$base"
    as_test_user sh -c "mkdir '$d/ud' && { [ ! -f '$d/ud/cpuset.cpus' ] || { cat '$d/cpuset.cpus' > '$d/ud/cpuset.cpus' && cat '$d/cpuset.mems' > '$d/ud/cpuset.mems'; }; } && echo $sp > '$d/ud/cgroup.procs'" ||
        fail "the user could not use $d"
done
nv1=$(grep -c ":/$base/ud\$" "/proc/$sp/cgroup")
assert_eq "$nv1" "$(( ${#mounts[@]} - (${v2:+1}+0) ))" "the user's process is in its child cgroup in every v1 hierarchy"
# Not the user's to move elsewhere: root's cgroups, or another user's process.
# (m1: a v1 hierarchy, else the cgroup2 one: a v2-only host has no v1 part to test)
m1=$(findmnt -rn -t cgroup -o TARGET | head -1)
if [ -n "$m1" ]; then
    user_write_refused "$sp" "$m1/cgroup.procs"
    user_write_refused "$$" "$m1/$base/ud/cgroup.procs"
else
    m1=$v2
fi

if [ -n "$v2" ]; then
    # cgroup2: the user cannot move its process in from the root (common ancestor: root's).
    user_sleep
    sp2=$SP
    user_write_refused "$sp2" "$v2/$base/cgroup.procs"
    # Once root placed it in the subtree, the user moves it within.
    echo "$sp2" > "$v2/$base/cgroup.procs" || fail "root moving $sp2 into $v2/$base"
    as_test_user sh -c "mkdir '$v2/$base/ud' && echo $sp2 > '$v2/$base/ud/cgroup.procs'" ||
        fail "the user could not move its process within $v2/$base"
    assert_eq "$(grep '^0::' "/proc/$sp2/cgroup")" "0::/$base/ud" "cgroup2 placement"
fi

# --remove: refused while busy, nothing removed; the message names the cgroups and pids.
expect_rc 1 cnt-delegate --remove "$TU_NAME"
assert_contains "$OUT" "still holds processes"
assert_contains "$OUT" "$sp"
for m in "${mounts[@]}"; do [ -d "$m/$base/ud" ] || fail "--remove removed $m/$base/ud while busy"; done

for p in "${pids[@]}"; do kill -9 "$p"; wait "$p" 2>/dev/null; done
pids=()
# A deeper empty child too: removed depth first.
as_test_user mkdir -p "$m1/$base/ud/a/b"
expect_rc 0 cnt-delegate --remove "$TU_NAME"
left=$(find /sys/fs/cgroup -maxdepth 3 -name "$base" 2>/dev/null)
assert_eq "$left" "" "delegation left after --remove"
expect_rc 0 cnt-delegate --remove "$TU_NAME"
expect_rc 0 cnt-delegate --list
assert_not_contains "$OUT" "$TU_UID $TU_NAME"

# --boot applies cnt.conf's [cgroup] delegate (names or uids, blanks or commas).
printf '[cgroup]\ndelegate = ud-no-such-user-%s, %s\n' "$$" "$TU_NAME" >> "$CNT_CONF"
expect_rc 1 cnt-delegate --boot
assert_contains "$OUT" "ud-no-such-user-$$"
expect_rc 0 cnt-delegate --list
assert_contains "$OUT" "$TU_UID $TU_NAME ${#mounts[@]}/${#mounts[@]} complete"
expect_rc 0 cnt-delegate -r "$TU_UID"
assert_eq "$(find /sys/fs/cgroup -maxdepth 3 -name "$base" 2>/dev/null)" "" "leftover after --boot test"
exit 0
