# cnt-unshare and cnt-usernsexec: what the command sees inside its new namespaces, what the host
# sees (its hostname, interfaces and the files the command made untouched or owned by mapped
# ids), as root and, through newuidmap/newgidmap, as a normal user.
. "$(dirname "$0")/lib.sh"
need_root
host=$(hostname)
expect_rc 0 cnt-unshare -s "UTSNAME|PID|MOUNT" -H tb-uts$$ -M -- \
    sh -c 'hostname; echo $$; ls /proc | grep -c "^[0-9]"'
assert_eq "$OUT" "$(printf 'tb-uts%s\n1\n3' $$)" \
    "hostname, pid 1, the pipeline's 3 processes in /proc"
assert_eq "$(hostname)" "$host" "the host's hostname changed"
grep -q " /proc proc .*tb-uts" /proc/self/mountinfo && fail "a /proc mount leaked to the host"
expect_rc 0 cnt-unshare -s NETWORK -- cat /proc/net/dev
assert_eq "$(printf '%s\n' "$OUT" | grep -c ':')" 1 "only lo in the new netns"
expect_rc 7 cnt-unshare -s PID -- sh -c 'exit 7'
expect_rc 0 cnt-unshare -s "IPC|PID" -u 65534 -- id -u
assert_eq "$OUT" 65534
expect_rc 0 cnt-unshare -s USER -- sh -c 'id -u; cat /proc/self/uid_map'
assert_eq "$(printf '%s\n' "$OUT" | head -1)" 0
assert_eq "$(printf '%s\n' "$OUT" | tail -1 | tr -s ' ')" " 0 0 1"
expect_rc 1 cnt-unshare -s TIME -- true
assert_contains "$OUT" 'unknown namespace "TIME"'
expect_rc 1 cnt-unshare -s PID -H x -- true
assert_contains "$OUT" "-H needs a new UTS namespace"
expect_rc 127 cnt-unshare -s PID -- /nonexistent/cmd
expect_rc 1 cnt-unshare -s PID

# usernsexec as root: the maps inside, and a file made inside owned by the mapped ids outside.
chmod 755 "$T_DIR"; mkdir -m 777 "$T_DIR/u"
expect_rc 0 cnt-usernsexec -m b:0:300000:65536 -- \
    sh -c "id -u; cat /proc/self/uid_map; touch $T_DIR/u/f0; chown 5:5 $T_DIR/u/f0"
assert_eq "$(printf '%s\n' "$OUT" | head -1)" 0
assert_eq "$(printf '%s\n' "$OUT" | tail -1 | tr -s ' ')" " 0 300000 65536"
assert_eq "$(stat -c %u:%g "$T_DIR/u/f0")" "300005:300005" "owner on the host"
expect_rc 1 cnt-usernsexec -m x:0:1:1 -- true
assert_contains "$OUT" "invalid map"

# As a normal user: newuidmap/newgidmap with the user's /etc/subuid range.
make_test_user tbun
expect_rc 0 as_test_user env -u CNT_CONF HOME=$TEST_HOME "$TEST_USER_BIN/cnt-usernsexec" -- \
    sh -c "id -u; cat /proc/self/uid_map; touch $T_DIR/u/f1"
assert_eq "$(printf '%s\n' "$OUT" | head -1)" 0
assert_eq "$(printf '%s\n' "$OUT" | tail -1 | tr -s ' ')" " 0 $TEST_USER_BASE 65536"
assert_eq "$(stat -c %u "$T_DIR/u/f1")" "$TEST_USER_BASE" "the user's file owned by its range"
# A range the user was not given is refused (by cnt, before newuidmap).
expect_rc 1 as_test_user env -u CNT_CONF HOME=$TEST_HOME "$TEST_USER_BIN/cnt-usernsexec" \
    -m b:0:100000:10 -- true
