# kill -9 of the tool, the monitor or init at random moments of start, stop, attach, create and
# destroy: afterwards cnt-info tells the truth (RUNNING/FROZEN exactly when init lives), and
# cnt-stop, cnt-start, cnt-destroy and cnt-create handle what is left; nothing leaks.
. "$(dirname "$0")/lib.sh"
need_root
c=crash-k$$
ROUNDS=${CRASH_ROUNDS:-2}
RUN=/run/cnt-test/$(basename "$T_DIR")
on_exit "cnt-stop -n '$c' -k; cnt-destroy -n '$c' -f"

# What a container could leave on the host, by its name only (host_snapshot also counts every
# idle busybox of other tests running on this host at the same time).
snap() {
    grep -c -- "$LXCPATH/$1/" /proc/self/mountinfo
    find /sys/fs/cgroup -maxdepth 6 -type d -name "*$1" 2>/dev/null
    ls "$RUN"/*/"$1" 2>/dev/null | grep -v -e '^lock$' -e '^$'
    pgrep -f "cnt monitor\\] $LXCPATH $1\$" || true
    # A process (a monitor) with a file of the container open: its log, its rootfs.
    find /proc/[0-9]*/fd -lname "$LXCPATH/$1/*" 2>/dev/null | cut -d/ -f3 | sort -u
}
info_state() { cnt-info -n "$c" -s -H 2>/dev/null || echo UNDEFINED; }
# Whether init lives, from what the kernel says about the pid and start time the run state records.
init_lives() {
    local f pid start st
    f=$(ls "$RUN"/*/"$c"/state 2>/dev/null | head -1)
    [ -n "$f" ] || return 1
    pid=$(sed -n 's/^init_pid=//p' "$f" 2>/dev/null); start=$(sed -n 's/^init_start=//p' "$f" 2>/dev/null)
    [ -n "$pid" ] && [ "$pid" -gt 0 ] || return 1
    st=$(sed 's/.*) //' /proc/"$pid"/stat 2>/dev/null) || return 1
    [ "$(echo "$st" | cut -d' ' -f1)" != Z ] && [ "$(echo "$st" | cut -d' ' -f20)" = "$start" ]
}
# cnt-info agrees with the kernel: RUNNING/FROZEN when init lives, else STOPPED (or no
# container). STARTING/STOPPING/FREEZING settle within 10 s.
check_truth() {
    local i s
    for i in $(seq 1 100); do
        s=$(info_state)
        case "$s" in
            RUNNING|FROZEN) init_lives && return 0 ;;
            STOPPED|UNDEFINED) init_lives || return 0 ;;
        esac
        sleep 0.1
    done
    fail "$1: cnt-info says $s, init $(init_lives && echo lives || echo "is dead")"
}
# After the kill: the container is handled by the tools, and ends stopped and clean.
recover() {
    check_truth "$1"
    # A create killed half-way leaves its unlocked `partial` marker: cnt-destroy removes it.
    if [ -e "$LXCPATH/$c/partial" ]; then
        expect_rc 0 timeout 60 cnt-destroy -n "$c"
        [ ! -e "$LXCPATH/$c" ] || fail "$1: half-made container not removed"
    fi
    # A destroy killed half-way leaves its marker: cnt-start refuses, cnt-destroy finishes.
    if [ -e "$LXCPATH/$c/destroying" ]; then
        expect_rc 1 timeout 60 cnt-start -n "$c"
        assert_contains "$OUT" "run cnt-destroy again" "$1: cnt-start of a half-destroyed container"
        expect_rc 0 timeout 60 cnt-destroy -n "$c"
        [ ! -e "$LXCPATH/$c" ] || fail "$1: half-destroyed container not removed"
    fi
    if [ "$(info_state)" = UNDEFINED ]; then
        # What a killed create/destroy left: destroy removes it (or says there is none).
        OUT=$(timeout 60 cnt-destroy -n "$c" 2>&1); rc=$?
        [ $rc = 0 ] || assert_contains "$OUT" "not defined" "$1: cnt-destroy of the remains"
        expect_rc 0 timeout 120 cnt-create -n "$c" -t busybox
    fi
    # Exit 2: it was not running.
    OUT=$(timeout 60 cnt-stop -n "$c" -k 2>&1); rc=$?
    [ $rc = 0 ] || [ $rc = 2 ] || fail "$1: cnt-stop -k exited $rc: $OUT"
    check_truth "$1: after cnt-stop"
    assert_eq "$(info_state)" STOPPED "$1: after cnt-stop"
    expect_rc 0 timeout 60 cnt-start -n "$c"
    assert_eq "$(info_state)" RUNNING "$1: restarted"
    expect_rc 0 timeout 60 cnt-stop -n "$c" -k
    assert_eq "$(snap "$c")" "$BASE" "$1: host state after recovery"
}
# A random moment: 0-400 ms.
pause() { sleep "0.$(printf '%03d' $((RANDOM % 400)))"; }
templates_gone() { ! pgrep -f -- "--path=$LXCPATH/$c( |\$)" >/dev/null; }
kill_later() { pause; kill -9 "$1" 2>/dev/null; wait "$1" 2>/dev/null; }

expect_rc 0 cnt-create -n "$c" -t busybox
BASE=$(snap "$c")
kills=0
for round in $(seq 1 "$ROUNDS"); do
    for op in start-tool start-monitor run-init run-monitor stop-tool halt-tool stop-monitor \
        attach-tool create-tool destroy-tool; do
        what="round $round, $op"; echo "== $what" >&2
        case $op in
            start-tool) cnt-start -n "$c" >/dev/null 2>&1 & kill_later $! ;;
            start-monitor)
                cnt-start -n "$c" >/dev/null 2>&1 & p=$!
                pause; m=$(monitor_pid "$c"); [ -n "$m" ] && kill -9 "$m"; wait $p ;;
            run-init)
                expect_rc 0 cnt-start -n "$c"; pause
                kill -9 "$(cnt-info -n "$c" -p -H)" ;;
            run-monitor)
                expect_rc 0 cnt-start -n "$c"; pause; kill -9 "$(monitor_pid "$c")" ;;
            stop-tool)
                expect_rc 0 cnt-start -n "$c"
                cnt-stop -n "$c" -k >/dev/null 2>&1 & kill_later $! ;;
            halt-tool)
                expect_rc 0 cnt-start -n "$c"
                cnt-stop -n "$c" -t 10 >/dev/null 2>&1 & kill_later $! ;;
            stop-monitor)
                expect_rc 0 cnt-start -n "$c"; m=$(monitor_pid "$c")
                cnt-stop -n "$c" -t 10 >/dev/null 2>&1 & p=$!
                pause; kill -9 "$m" 2>/dev/null; wait $p ;;
            attach-tool)
                expect_rc 0 cnt-start -n "$c"
                cnt-attach -n "$c" -- sleep 5 >/dev/null 2>&1 & kill_later $! ;;
            create-tool)
                expect_rc 0 cnt-destroy -n "$c"
                cnt-create -n "$c" -t busybox >/dev/null 2>&1 & kill_later $!
                for i in $(seq 1 100); do templates_gone && break; sleep 0.1; done ;;
            destroy-tool)
                cnt-destroy -n "$c" >/dev/null 2>&1 & kill_later $! ;;
        esac
        kills=$((kills + 1))
        recover "$what"
    done
done
expect_rc 0 cnt-destroy -n "$c"
[ ! -e "$LXCPATH/$c" ] || fail "container dir left"
assert_no_leftovers "$c"
assert_eq "$(snap "$c")" "$BASE" "host state at the end"
echo "ok: $T_NAME ($kills kills)"
