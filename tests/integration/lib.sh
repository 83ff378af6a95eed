# Sourced by every integration test (tests/integration/t-*.sh).
# Gives: a private lxcpath ($LXCPATH), a private cnt.conf ($CNT_CONF), cleanup on any exit,
# and small assertions. A test that needs root calls need_root first.
set -u
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export PATH="$TOP/bin:$PATH"
T_NAME=$(basename "$0" .sh)

skip() { echo "SKIP: $T_NAME: $*"; exit 77; }
fail() { echo "FAIL: $T_NAME: $*" >&2; exit 1; }
need_root() { [ "$(id -u)" = 0 ] || skip "needs root"; }
need_cmd() { command -v "$1" >/dev/null 2>&1 || skip "needs $1"; }

# Cleanup: functions registered with on_exit run in reverse order, whatever happened.
_CLEANUPS=()
# A subshell (a pipeline stage, $(...)) has its own copy of the list and no EXIT trap: what it
# registered would never run. That is a bug in the test: clean up now and fail the test.
on_exit() {
    if [ "$BASH_SUBSHELL" != 0 ]; then
        echo "FAIL: $T_NAME: on_exit called in a subshell (a pipeline?), cleanup lost: $*" >&2
        eval "$*" >/dev/null 2>&1
        kill -TERM $$
        exit 1
    fi
    _CLEANUPS+=("$*")
}
_run_cleanups() {
    local rc=$? i
    for ((i=${#_CLEANUPS[@]}-1; i>=0; i--)); do eval "${_CLEANUPS[$i]}" >/dev/null 2>&1 || true; done
    exit $rc
}
trap _run_cleanups EXIT
trap 'exit 130' INT TERM

# A private lxcpath and config for this test.
T_DIR=$(mktemp -d /tmp/cnt-test.XXXXXX)
LXCPATH="$T_DIR/lxc"
mkdir -p "$LXCPATH"
export CNT_CONF="$T_DIR/cnt.conf"
cat > "$CNT_CONF" <<CONF
[paths]
lxcpath = $LXCPATH
template_dir = $TOP/templates
default_config = $TOP/config/default.conf
rundir = /run/cnt-test/$(basename "$T_DIR")
CONF
on_exit "rm -rf '$T_DIR'; rm -rf '/run/cnt-test/$(basename "$T_DIR")'"

# Stop (hard) and destroy a container at exit; call right after creating it.
cleanup_container() {
    on_exit "cnt-stop -P '$LXCPATH' -n '$1' -k; cnt-destroy -P '$LXCPATH' -n '$1' -f"
}

# Assertions
assert_eq() { [ "$1" = "$2" ] || fail "${3:-values differ}: expected [$2], got [$1]"; }
assert_contains() { case "$1" in *"$2"*) ;; *) fail "${3:-missing text}: [$2] not in [$1]";; esac; }
assert_not_contains() { case "$1" in *"$2"*) fail "${3:-unexpected text}: [$2] in [$1]";; esac; }
# Run a command, expect exit code $1; output in $OUT (stdout+stderr).
expect_rc() {
    local want=$1; shift
    OUT=$("$@" 2>&1); local rc=$?
    [ "$rc" = "$want" ] || fail "\`$*\` exited $rc, expected $want; output: $OUT"
}

# The monitor's pid as the container's run-state file records it (never looked up by name).
monitor_pid() {
    local f
    f=$(ls /run/cnt-test/"$(basename "$T_DIR")"/*/"$1"/state 2>/dev/null | head -1)
    [ -n "$f" ] && sed -n 's/^monitor_pid=//p' "$f"
}
