# cnt-monitor: one line per state change, from inotify on the run dirs; -n filters by regex.
. "$(dirname "$0")/lib.sh"

define mon$$
define other$$
# A live "init" for the fake states: a state file naming a dead pid reads as STOPPED.
sleep 600 &
init=$!
on_exit "kill $init"
cnt-monitor -P "$LXCPATH" > "$T_DIR/all" 2>&1 &
m1=$!
on_exit "kill $m1"
cnt-monitor -P "$LXCPATH" -n "mon$$|rdy$$" > "$T_DIR/one" 2>&1 &
m2=$!
on_exit "kill $m2"
on_exit "rm -rf '$(dirname "$(run_dir mon$$)")'"

# Ready once both report a change of a probe container (toggled until they do).
for i in $(seq 100); do
    if [ $((i % 2)) = 1 ]; then fake_state rdy$$ RUNNING $init; else rm -f "$(run_dir rdy$$)/state"; fi
    grep -q "rdy$$" "$T_DIR/all" && grep -q "rdy$$" "$T_DIR/one" && break
    sleep 0.05
done
grep -q "rdy$$" "$T_DIR/all" && grep -q "rdy$$" "$T_DIR/one" ||
    fail "cnt-monitor never reported anything; all: [$(cat "$T_DIR/all")] one: [$(cat "$T_DIR/one")]; run dir: $(ls -la "$(dirname "$(run_dir rdy$$)")" 2>&1)"
# Each change is awaited before the next: a reader may legitimately coalesce two quick ones.
seen() { for _ in $(seq 200); do grep -qF "$1" "$T_DIR/all" && return 0; sleep 0.05; done; fail "no line [$1]"; }
fake_state mon$$ STARTING $init;  seen "'mon$$' changed state to [STARTING]"
fake_state mon$$ RUNNING $init;   seen "'mon$$' changed state to [RUNNING]"
fake_state other$$ RUNNING $init; seen "'other$$' changed state to [RUNNING]"
fake_state mon$$ FROZEN $init;    seen "'mon$$' changed state to [FROZEN]"
rm -f "$(run_dir mon$$)/state"

want_all="'mon$$' changed state to [STOPPED]"
for _ in $(seq 100); do grep -qF "$want_all" "$T_DIR/all" && grep -qF "$want_all" "$T_DIR/one" && break; sleep 0.05; done
all=$(cat "$T_DIR/all"); one=$(cat "$T_DIR/one")
assert_contains "$all" "'mon$$' changed state to [RUNNING]"
assert_contains "$all" "'mon$$' changed state to [FROZEN]"
assert_contains "$all" "'mon$$' changed state to [STOPPED]"
assert_contains "$all" "'other$$' changed state to [RUNNING]"
assert_not_contains "$one" "other$$"
assert_contains "$one" "'mon$$' changed state to [FROZEN]"
order=$(grep -F "'mon$$'" "$T_DIR/one" | sed 's/.*\[\(.*\)\]/\1/' | tr '\n' ' ')
assert_eq "$order" "STARTING RUNNING FROZEN STOPPED "
kill -0 $m1 || fail "cnt-monitor exited"
