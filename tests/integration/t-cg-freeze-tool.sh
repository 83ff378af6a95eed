# cnt-freeze / cnt-unfreeze on a hand-made "running container": a process in cgroups we make
# ourselves and a run-state file naming them (the format cgroup::Group::save writes). Works
# without the runtime; t-cg-container.sh does the same through cnt-start.
. "$(dirname "$0")/lib.sh"
need_root
[ -w /sys/fs/cgroup ] || skip "no writable cgroup mount"

name=cg$$
mkdir -p "$LXCPATH/$name"
: > "$LXCPATH/$name/config"

# The run dir (store::Paths::run_dir), as cnt-info prints it.
RUN=$(cnt-info -P "$LXCPATH" -n "$name" --run-dir) || fail "cnt-info --run-dir"
assert_contains "$RUN" "$(sed -n 's/^rundir = //p' "$CNT_CONF")/" "run dir below the configured rundir"
mkdir -p "$RUN"

# A child counting into a file, so we can see it stop and go.
count="$T_DIR/count"
( i=0; while :; do i=$((i + 1)); echo $i > "$count"; sleep 0.02; done ) &
pid=$!
on_exit "kill -9 $pid"
start=$(awk '{print $22}' /proc/$pid/stat)

own() { awk -F: -v c="$1" '$2 == c {print $3}' /proc/self/cgroup; }
v2root=$(awk '$9 == "cgroup2" {print $5; exit}' /proc/self/mountinfo)
frz=$(awk '$9 == "cgroup" && $NF ~ /(^|,)freezer(,|$)/ {print $5; exit}' /proc/self/mountinfo)

write_state() {  # $1 = state, rest = cgroup.* lines
    local st=$1; shift
    { echo "state=$st"; echo "init_pid=$pid"; echo "init_start=$start"
      echo "monitor_pid=0"; echo "monitor_start=0"; echo "config=$LXCPATH/$name/config"
      for l in "$@"; do echo "cgroup.$l"; done; } > "$RUN/state"
}
stalled() {  # the counter does not move for a while
    local a b; a=$(cat "$count"); sleep 0.3; b=$(cat "$count"); [ "$a" = "$b" ]
}
state() { cnt-info -P "$LXCPATH" -n "$name" -s -H; }  # from the cgroup, not the state file
moving() {  # the counter moves again (bounded wait)
    local a i; a=$(cat "$count")
    for i in $(seq 100); do [ "$(cat "$count")" != "$a" ] && return 0; sleep 0.05; done
    return 1
}

# --- the cgroup2 leaf (hybrid or pure v2) ------------------------------------------------------
if [ -n "$v2root" ]; then
    cg="$v2root$(own '')/cnt-t-$$"
    cg=${cg//\/\//\/}
    mkdir "$cg"
    on_exit "echo 0 > '$cg/cgroup.freeze'; kill -9 $pid; sleep 0.1; rmdir '$cg'"
    echo $pid > "$cg/cgroup.procs"
    write_state RUNNING "kind=v2" "v2=$cg" "v2.top=$cg"
    # The freeze rewrites no state file: the touch it makes must still wake a waiter.
    cnt-wait -P "$LXCPATH" -n "$name" -s FROZEN -t 10 & waiter=$!
    on_exit "kill $waiter"
    sleep 0.2
    expect_rc 0 cnt-freeze -P "$LXCPATH" -n "$name"
    wait $waiter || fail "cnt-wait -s FROZEN did not see the freeze"
    assert_contains "$(cat "$cg/cgroup.events")" "frozen 1"
    assert_eq "$(state)" FROZEN
    stalled || fail "v2: counter moved while frozen"
    expect_rc 0 cnt-freeze -P "$LXCPATH" -n "$name"        # already frozen: no-op
    expect_rc 0 cnt-unfreeze -P "$LXCPATH" -n "$name"
    assert_contains "$(cat "$cg/cgroup.events")" "frozen 0"
    assert_eq "$(state)" RUNNING
    moving || fail "v2: counter did not resume after thaw"
    echo $pid > "$(dirname "$cg")/cgroup.procs"
    rmdir "$cg"
fi

# --- the v1 freezer controller ----------------------------------------------------------------
if [ -n "$frz" ]; then
    cg="$frz$(own freezer)/cnt-t-$$"
    cg=${cg//\/\//\/}
    mkdir "$cg"
    on_exit "echo THAWED > '$cg/freezer.state'; kill -9 $pid; sleep 0.1; rmdir '$cg'"
    echo $pid > "$cg/cgroup.procs"
    write_state RUNNING "kind=v1" "v1.0=$cg" "v1.0.ctrl=freezer" "v1.0.top=$cg"
    expect_rc 0 cnt-freeze -P "$LXCPATH" -n "$name"
    assert_eq "$(cat "$cg/freezer.state")" FROZEN
    assert_eq "$(state)" FROZEN
    stalled || fail "v1: counter moved while frozen"
    expect_rc 0 cnt-unfreeze -P "$LXCPATH" -n "$name"
    assert_eq "$(cat "$cg/freezer.state")" THAWED
    assert_eq "$(state)" RUNNING
    moving || fail "v1: counter did not resume after thaw"
fi

# --- not running, unknown ---------------------------------------------------------------------
kill -9 $pid; wait $pid 2>/dev/null
expect_rc 1 cnt-freeze -P "$LXCPATH" -n "$name"
assert_contains "$OUT" "cnt-freeze: $name: is not running"
expect_rc 0 cnt-unfreeze -P "$LXCPATH" -n "$name"       # LXC: thawing a stopped one is fine
rm -f "$RUN/state"
expect_rc 1 cnt-freeze -P "$LXCPATH" -n "$name"
expect_rc 0 cnt-unfreeze -P "$LXCPATH" -n "$name"
expect_rc 1 cnt-freeze -P "$LXCPATH" -n nosuch$$
assert_contains "$OUT" "No such container"
expect_rc 1 cnt-unfreeze -P "$LXCPATH" -n nosuch$$
expect_rc 1 cnt-freeze -P "$LXCPATH" -n "$name" -t 0
exit 0
