# A start that fails (bad init, failing hook, bad rootfs) says why and leaves nothing behind.
. "$(dirname "$0")/lib.sh"
need_root
n=c$$
mk_busybox "$n"
before=$(host_snapshot "$n")
expect_rc 1 cnt-start -P "$LXCPATH" -n "$n" -d -- /no/such/init
assert_contains "$OUT" "/no/such/init"
assert_contains "$OUT" "No such file or directory"
assert_eq "$(host_snapshot "$n")" "$before" "after a bad init (daemon)"
# The daemon's monitor ran in cnt-start's memory (CLONE_VM) and reconfigured the log there:
# the error still reaches stderr as well as the log file given with -o.
expect_rc 1 cnt-start -P "$LXCPATH" -n "$n" -d -o "$T_DIR/start.log" -l INFO -- /no/such/init
assert_contains "$OUT" "/no/such/init"
assert_contains "$(cat "$T_DIR/start.log")" "/no/such/init"
assert_eq "$(host_snapshot "$n")" "$before" "after a bad init (daemon, -o)"
expect_rc 1 cnt-start -P "$LXCPATH" -n "$n" -F -- /no/such/init
assert_contains "$OUT" "/no/such/init"
assert_eq "$(host_snapshot "$n")" "$before" "after a bad init (foreground)"

cp "$LXCPATH/$n/config" "$T_DIR/config.good"
echo "lxc.hook.pre-start = /bin/false" >> "$LXCPATH/$n/config"
expect_rc 1 cnt-start -P "$LXCPATH" -n "$n"
assert_contains "$OUT" 'pre-start hook "/bin/false" failed'
assert_eq "$(host_snapshot "$n")" "$before" "after a failing pre-start hook"

cp "$T_DIR/config.good" "$LXCPATH/$n/config"
echo "lxc.hook.mount = /bin/false" >> "$LXCPATH/$n/config"
expect_rc 1 cnt-start -P "$LXCPATH" -n "$n"
assert_contains "$OUT" 'mount hook "/bin/false" failed'
assert_eq "$(host_snapshot "$n")" "$before" "after a failing mount hook"

cp "$T_DIR/config.good" "$LXCPATH/$n/config"
echo "lxc.mount.entry = /no/such/dir mnt none bind,create=dir 0 0" >> "$LXCPATH/$n/config"
# init fails here while the monitor is still joining it to cgroups or sending "setup": init's
# own error must win over the dead process (ESRCH, ECONNRESET) every time, so try it often.
for i in $(seq 1 25); do
    expect_rc 1 cnt-start -P "$LXCPATH" -n "$n"
    assert_contains "$OUT" "/no/such/dir"
done
assert_eq "$(host_snapshot "$n")" "$before" "after a failing mount entry"

expect_rc 1 cnt-start -P "$LXCPATH" -n nosuch$$
expect_rc 1 cnt-attach -P "$LXCPATH" -n "$n" -- true
exit 0
