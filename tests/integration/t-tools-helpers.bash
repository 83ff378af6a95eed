# Helpers shared by the t-tools-*.sh tests (sourced after lib.sh).

# Define a container by hand: $1 name, rest config lines.
define() {
    local n=$1; shift
    mkdir -p "$LXCPATH/$n/rootfs"
    printf '%s\n' "lxc.uts.name = $n" "lxc.rootfs.path = dir:$LXCPATH/$n/rootfs" "$@" > "$LXCPATH/$n/config"
}

# Write a state file atomically (temp + rename, as the monitor does): $1 name, $2 STATE,
# $3 pid standing in for init (its start time makes it "alive").
fake_state() {
    local d; d=$(run_dir "$1")
    mkdir -p "$d"
    local start=0
    [ -n "${3:-}" ] && start=$(awk '{ sub(/.*\) /, ""); print $20 }' "/proc/$3/stat")
    # Every key the monitor writes (a state file without one of them reads as corrupt).
    printf 'config=%s\nstate=%s\ninit_pid=%s\ninit_start=%s\nmonitor_pid=%s\nmonitor_start=%s\n' \
        "$LXCPATH/$1/config" "$2" "${3:-0}" "$start" "${3:-0}" "$start" > "$d/state.tmp"
    mv -f "$d/state.tmp" "$d/state"
}

# True when the config reader has landed (a plain config loads).
config_reader_ready() {
    define probe$$
    local out; out=$(cnt-ls -P "$LXCPATH" -F NAME,AUTOSTART 2>&1)
    rm -rf "$LXCPATH/probe$$"
    case "$out" in *"Failed to load"*) return 1;; esac
    return 0
}
