# bin/cnt-kfloor (issue #7): the kernel's part of a start, alone, in its three forms. What the
# bench compares cnt with must really build the container (its own pid namespace, its
# cgroups) and leave nothing behind.
. "$(dirname "$0")/lib.sh"
need_root
[ -x "$TOP/bin/cnt-kfloor" ] || skip "bin/cnt-kfloor not built (make bin/cnt-kfloor)"
root="$T_DIR/rootfs"
mk_busybox_rootfs "$root"
n=kf$$
pidfile="$T_DIR/kfloor.pid"
# Whatever fails below: stop a daemon left running, remove its cgroups.
on_exit "[ -f '$pidfile' ] && cnt-kfloor --stop '$pidfile'"
on_exit "find /sys/fs/cgroup -maxdepth 7 -depth -type d -path '*/kfloor.$n*' -exec rmdir {} + 2>/dev/null"
left() { find /sys/fs/cgroup -maxdepth 6 -type d -name "kfloor.$n" 2>/dev/null; }

# Foreground: the command runs in the container (pid 1, its hostname), then nothing is left.
expect_rc 0 cnt-kfloor "$root" "$n" /bin/sh -c 'echo "$$ $(hostname)"'
assert_eq "$OUT" "1 $n" "pid and hostname inside"
assert_eq "$(left)" "" "cgroups after a foreground run"

# -d: returns once the command runs; the pid file names init and the monitor.
expect_rc 0 cnt-kfloor -d "$pidfile" "$root" "$n" /bin/sleep 100000
read -r init monitor < "$pidfile" || fail "no pid file"
[ "$(readlink /proc/"$init"/ns/pid)" != "$(readlink /proc/self/ns/pid)" ] || fail "init shares our pid namespace"
assert_eq "$(tr '\0' ' ' < /proc/"$init"/cmdline)" "/bin/sleep 100000 " "init runs the command"
[ "$(awk '{print $4}' /proc/"$init"/stat)" = "$monitor" ] || fail "init is not the monitor's child"
[ -n "$(left)" ] || fail "no cgroups while it runs"
# Read from here, init's cgroups are seen from our cgroup namespace: every line names its own.
# (in the inner cgroup of each, as cnt's init)
[ "$(grep -c "/kfloor\.$n/\.cnt\$" /proc/"$init"/cgroup)" = "$(wc -l < /proc/"$init"/cgroup)" ] ||
    fail "init is outside its cgroups: $(cat /proc/"$init"/cgroup)"

# --stop: init killed, the monitor's exit awaited, and it removed the cgroups and pid file.
expect_rc 0 cnt-kfloor --stop "$pidfile"
! kill -0 "$init" 2>/dev/null || fail "init still runs"
case "$(ps -o stat= -p "$monitor")" in ""|Z*) ;; *) fail "the monitor still runs" ;; esac
[ ! -e "$pidfile" ] || fail "pid file left"
assert_eq "$(left)" "" "cgroups after --stop"
exit 0
