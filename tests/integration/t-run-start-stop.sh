# cnt-start -d / cnt-stop: the container runs isolated, stops cleanly, and leaves nothing.
. "$(dirname "$0")/lib.sh"
need_root
n=c$$
mk_busybox "$n"
before=$(host_snapshot "$n")

expect_rc 0 cnt-start -P "$LXCPATH" -n "$n" -d
mon=$(pgrep -f "cnt monitor\] $LXCPATH $n") || fail "no monitor named [cnt monitor] in ps"
expect_rc 0 cnt-start -P "$LXCPATH" -n "$n" -d
assert_contains "$OUT" "already running"

# Seen from inside: its own hostname, pid 1 is init, no host process, only its mounts.
expect_rc 0 cnt-attach -P "$LXCPATH" -n "$n" -- hostname
assert_eq "$OUT" "$n" "hostname"
expect_rc 0 cnt-attach -P "$LXCPATH" -n "$n" -- ps -o pid,comm
assert_contains "$OUT" "1 init"
assert_not_contains "$OUT" "cnt-monitor"
assert_not_contains "$OUT" "systemd"
nproc=$(printf '%s\n' "$OUT" | tail -n +2 | wc -l)
[ "$nproc" -le 4 ] || fail "container sees $nproc processes: $OUT"
expect_rc 0 cnt-attach -P "$LXCPATH" -n "$n" -- cat /proc/mounts
assert_not_contains "$OUT" "$LXCPATH" "host paths in the container's mounts"
assert_not_contains "$OUT" " /run "
assert_contains "$OUT" "/dev/pts devpts"
assert_contains "$OUT" "max=4"
expect_rc 0 cnt-attach -P "$LXCPATH" -n "$n" -- readlink /proc/1/ns/net
[ "$(echo "$OUT" | head -1)" != "$(readlink /proc/self/ns/net)" ] || fail "container shares the host netns"
# devpts max = lxc.pty.max: the fifth pty cannot be opened.
OUT=$(cnt-attach -P "$LXCPATH" -n "$n" -- sh -c 'exec 3<>/dev/ptmx 4<>/dev/ptmx 5<>/dev/ptmx 6<>/dev/ptmx && echo four-ok && exec 7<>/dev/ptmx && echo five-ok' 2>&1)
assert_contains "$OUT" "four-ok"
assert_not_contains "$OUT" "five-ok"
assert_contains "$OUT" "No space left on device"
# Its cgroups are the root of its cgroup namespace, in every hierarchy.
expect_rc 0 cnt-attach -P "$LXCPATH" -n "$n" -- cat /proc/1/cgroup
assert_not_contains "$(printf '%s\n' "$OUT" | grep -v ':/$')" ":" "cgroup paths seen by init"
# The environment init got.
expect_rc 0 cnt-attach -P "$LXCPATH" -n "$n" -- cat /proc/1/environ
assert_contains "$OUT" "container=cnt"

# Clean stop: busybox init halts on SIGUSR1 (lxc.signal.halt).
expect_rc 0 cnt-stop -P "$LXCPATH" -n "$n" -t 30
expect_rc 2 cnt-stop -P "$LXCPATH" -n "$n"
assert_contains "$OUT" "is not running"
# cnt-stop returns once the monitor's teardown is over; the monitor exits right after it.
mon_gone() { ! kill -0 "$mon" 2>/dev/null || case "$(ps -o stat= -p "$mon")" in Z*) true ;; *) false ;; esac; }
wait_for mon_gone || fail "monitor still running"
assert_eq "$(host_snapshot "$n")" "$before" "host state after stop"
[ -z "$(state_file "$n")" ] || fail "state file left"

# Again, with -k.
expect_rc 0 cnt-start -P "$LXCPATH" -n "$n"
expect_rc 0 cnt-stop -P "$LXCPATH" -n "$n" -k
assert_eq "$(host_snapshot "$n")" "$before" "host state after stop -k"

# A halt signal init ignores: the timeout runs out, then the container is killed.
sed -i 's/^lxc.signal.halt.*/lxc.signal.halt = SIGHUP/' "$LXCPATH/$n/config"
expect_rc 0 cnt-start -P "$LXCPATH" -n "$n"
expect_rc 1 cnt-stop -P "$LXCPATH" -n "$n" -t 1 --nokill
assert_contains "$OUT" "timed out"
expect_rc 0 cnt-stop -P "$LXCPATH" -n "$n" -t 1
assert_eq "$(host_snapshot "$n")" "$before" "host state after timeout+kill"
expect_rc 1 cnt-stop -P "$LXCPATH" -n "$n" -k -t 5
assert_contains "$OUT" "-k doesn't allow timeouts"
expect_rc 2 cnt-stop -P "$LXCPATH" -n nosuch$$
exit 0
