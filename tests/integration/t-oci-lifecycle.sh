#!/usr/bin/env bash
# cnt-oci: create / state / start / exec / ps / pause / resume / kill / delete, and run with
# the exit code passed through. init is the caller's child once create has returned.
. "$(dirname "$0")/lib.sh"
oci_setup

B="$T_DIR/bundle"
oci_bundle "$B"
c=oci-life-$$

# run: the command's exit code is cnt-oci's, and the container is gone after.
oci_edit "$B" 'c["process"]["args"] = ["sh", "-c", "exit 7"]'
oci_cleanup $c-run
(cd "$B" && "${OCI[@]}" run $c-run </dev/null >/dev/null 2>&1); rc=$?
assert_eq "$rc" 7 "run's exit code"
expect_rc 1 "${OCI[@]}" state $c-run
assert_contains "$OUT" "does not exist"
oci_leftovers $c-run

# run passes the signals it gets on to the container's init.
oci_edit "$B" \
    'c["process"]["args"] = ["sh", "-c", "trap \"exit 9\" TERM; echo up; sleep 100 & wait"]'
oci_cleanup $c-sig
(cd "$B" && exec "${OCI[@]}" run $c-sig </dev/null >"$T_DIR/sig.out" 2>&1) &
runner=$!
for _ in $(seq 50); do grep -q up "$T_DIR/sig.out" && break; sleep 0.1; done
kill -TERM $runner
wait $runner; rc=$?
assert_eq "$rc" 9 "run's exit code after SIGTERM was forwarded"
oci_leftovers $c-sig

# create: init waits, a child of nobody of ours (cnt-oci has exited).
oci_edit "$B" 'c["process"]["args"] = ["sh", "-c", "echo started; hostname; exec sleep 1000"]'
oci_cleanup $c
"${OCI[@]}" create --bundle "$B" --pid-file "$T_DIR/pid" $c >"$T_DIR/out" 2>&1 </dev/null ||
    fail "create: $(cat "$T_DIR/out")"
pid=$(cat "$T_DIR/pid")
[ -d "/proc/$pid" ] || fail "init $pid is not running after create"
assert_eq "$(oci_status $c)" created "state after create"
ppid=$(awk '{print $4}' "/proc/$pid/stat")
assert_not_contains "$(cat "/proc/$ppid/cmdline" 2>/dev/null | tr '\0' ' ')" "cnt-oci" \
    "init's parent is not a cnt-oci process"
[ -s "$T_DIR/out" ] && fail "the process ran before start: $(cat "$T_DIR/out")"
"${OCI[@]}" state $c | grep -q "\"pid\": $pid" || fail "state does not give init's pid"

expect_rc 0 "${OCI[@]}" start $c
assert_eq "$(oci_status $c)" running "state after start"
for _ in $(seq 50); do grep -q cnt "$T_DIR/out" && break; sleep 0.1; done
assert_eq "$(cat "$T_DIR/out")" "started
cnt" "the process's output (hostname from config.json)"
expect_rc 1 "${OCI[@]}" start $c
assert_contains "$OUT" "already running"

# exec: the exit code, the container's namespaces, --env/--cwd/--user.
expect_rc 5 "${OCI[@]}" exec $c sh -c 'hostname; exit 5'
assert_eq "$OUT" cnt "exec's hostname"
expect_rc 0 "${OCI[@]}" exec --cwd /tmp --env FOO=bar --user 1000:1000 $c \
    sh -c 'pwd; echo $FOO; id -u'
assert_eq "$OUT" "/tmp
bar
1000" "exec options"
expect_rc 0 "${OCI[@]}" exec $c cat /proc/1/comm
assert_eq "$OUT" sleep "exec'd process in the container's pid namespace"
"${OCI[@]}" exec --detach --pid-file "$T_DIR/epid" $c sleep 100 || fail "exec --detach"
epid=$(cat "$T_DIR/epid")
[ -d "/proc/$epid" ] || fail "exec --detach: $epid is not running"

# ps: init and the detached process.
expect_rc 0 "${OCI[@]}" ps --format json $c
assert_contains "$OUT" "$pid"
assert_contains "$OUT" "$epid"

# pause / resume: the freezer, seen in the process's state.
expect_rc 0 "${OCI[@]}" pause $c
assert_eq "$(oci_status $c)" paused "state after pause"
# (cgroup2's freezer on a hybrid host, v1's elsewhere)
frz=$(find /sys/fs/cgroup/unified -maxdepth 8 -type d -name "cnt.payload.$c" | head -1)
if [ -n "$frz" ]; then
    grep -qx "frozen 1" "$frz/cgroup.events" || fail "cgroup.events: $(cat "$frz/cgroup.events")"
else
    frz=$(find /sys/fs/cgroup/freezer -maxdepth 8 -type d -name "cnt.payload.$c" | head -1)
    assert_eq "$(cat "$frz/freezer.state")" FROZEN "freezer.state"
fi
expect_rc 0 "${OCI[@]}" resume $c
assert_eq "$(oci_status $c)" running "state after resume"
expect_rc 0 "${OCI[@]}" events --stats $c
assert_contains "$OUT" '"type":"stats"'
expect_rc 0 "${OCI[@]}" list
assert_contains "$OUT" "$c"

# delete refuses a running container; kill stops it; delete removes everything.
expect_rc 1 "${OCI[@]}" delete $c
assert_contains "$OUT" "not stopped"
expect_rc 0 "${OCI[@]}" kill $c KILL
for _ in $(seq 50); do [ "$(oci_status $c)" = stopped ] && break; sleep 0.1; done
assert_eq "$(oci_status $c)" stopped "state after kill"
expect_rc 0 "${OCI[@]}" delete $c
[ -d "/proc/$epid" ] && [ "$(awk '{print $3}' /proc/$epid/stat)" != Z ] &&
    fail "the exec'd process survived delete"
oci_leftovers $c

# delete of a created container kills its waiting init.
"${OCI[@]}" create --bundle "$B" --pid-file "$T_DIR/pid" $c </dev/null >/dev/null 2>&1 ||
    fail "second create"
pid=$(cat "$T_DIR/pid")
expect_rc 0 "${OCI[@]}" delete $c
for _ in $(seq 50); do [ -d /proc/$pid ] || break; sleep 0.1; done
[ -d "/proc/$pid" ] && [ "$(awk '{print $3}' /proc/$pid/stat)" != Z ] && fail "init survived delete"
oci_leftovers $c
echo "PASS: $T_NAME"
