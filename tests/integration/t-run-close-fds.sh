# cnt-start -C closes the descriptors it inherited, as lxc-start -C does; without it a
# foreground cnt-start (the monitor itself) keeps them. Seen in the monitor's /proc/PID/fd.
. "$(dirname "$0")/lib.sh"
need_root
n=cfd$$
mk_busybox "$n"

# fd_in_monitor OPTS...: start -F in the background with descriptor 77 open on a file of the
# test; print what the running monitor's descriptor 77 is (nothing when it has none).
fd_in_monitor() {
    local pid mpid seen
    cnt-start -P "$LXCPATH" -n "$n" -F "$@" </dev/null >"$T_DIR/out" 2>&1 77>"$T_DIR/inherited" &
    pid=$!
    wait_for cnt-attach -P "$LXCPATH" -n "$n" -- true || fail "container not running ($*)"
    mpid=$(monitor_pid "$n")
    assert_eq "$mpid" "$pid" "the foreground cnt-start is the monitor ($*)"
    seen=$(readlink "/proc/$mpid/fd/77")
    expect_rc 0 cnt-stop -P "$LXCPATH" -n "$n" -k
    wait "$pid"
    echo "$seen"
}
assert_eq "$(fd_in_monitor)" "$T_DIR/inherited" "descriptor 77 without -C"
assert_eq "$(fd_in_monitor -C)" "" "descriptor 77 with -C"
echo "ok: $T_NAME"
