# No pid is written into a cgroup.procs on the start and attach paths (cgroup::SelfJoin): init
# and the attached command are born in the cgroup2 leaf and move themselves into each v1
# hierarchy by writing "0" into its tasks file. A pid written into cgroup.procs would take the
# kernel's system-wide cgroup lock, whose first taker after a quiet spell waits for an RCU
# grace period: no timed assertion here, the system calls and the result are checked instead.
. "$(dirname "$0")/lib.sh"
need_root
need_cmd strace
n=sj$$
mk_busybox "$n" "lxc.init.cmd = /bin/sleep 100000"
cleanup_container "$n"
# the v1 hierarchies this host has (their lines in /proc/self/cgroup; "0::" is cgroup2's)
nv1=$(grep -vc '^0::' /proc/self/cgroup)

# $1 strace log prefix (strace -ff: one file per process, so no line is split by another
# process's system call into "<unfinished ...>" and "resumed"), $2 what, $3 the tool's name:
# the writes into cgroup files.
check_writes() {
    local prefix=$1 what=$2 name=$3 f tool="" joins procs
    for f in "$prefix".*; do head -1 "$f" | grep -q "^execve(\"[^\"]*/$name\"" && tool=$f; done
    [ -n "$tool" ] || fail "$what: no strace file begins with the exec of $name"
    procs=$(cat "$prefix".* | grep -c 'cgroup\.procs>, ')
    assert_eq "$procs" 0 "$what: writes into a cgroup.procs ($(cat "$prefix".* | grep 'cgroup\.procs>, ' | head -3))"
    joins=$(cat "$prefix".* | grep -c "cnt\.payload\.$n/\.cnt/tasks>, \"0\", 1) = 1")
    assert_eq "$joins" "$nv1" "$what: \"0\" written into each v1 hierarchy's inner tasks"
    # ... by the new process itself, not by the tool
    assert_eq "$(grep -c "cnt\.payload\.$n/\.cnt/tasks>, " "$tool")" 0 "$what: the tool wrote into a tasks file"
}
# Seen from inside: the command's cgroup namespace is rooted at the container's cgroups, so
# every hierarchy it belongs to reads "/" (it was made after the joins).
check_inside() {
    local out=$1 what=$2
    assert_eq "$(printf '%s\n' "$out" | grep -c '^[0-9]*:')" "$(grep -c . /proc/self/cgroup)" "$what: /proc/self/cgroup lines [$out]"
    assert_eq "$(printf '%s\n' "$out" | grep '^[0-9]*:' | grep -vc ':/$')" 0 "$what: outside the container's cgroups [$out]"
}

log="$T_DIR/start.strace"
out=$(strace -ff -qq -y -e trace=execve,write -o "$log" cnt-start -P "$LXCPATH" -n "$n" -F -- cat /proc/self/cgroup </dev/null 2>&1) ||
    fail "cnt-start -F under strace: $out"
check_writes "$log" "cnt-start" cnt-start
check_inside "$out" "init"

expect_rc 0 cnt-start -P "$LXCPATH" -n "$n" -d
log="$T_DIR/attach.strace"
out=$(strace -ff -qq -y -e trace=execve,write -o "$log" cnt-attach -P "$LXCPATH" -n "$n" -- cat /proc/self/cgroup </dev/null 2>&1) ||
    fail "cnt-attach under strace: $out"
check_writes "$log" "cnt-attach" cnt-attach
check_inside "$out" "attached command"
expect_rc 0 cnt-stop -P "$LXCPATH" -n "$n" -k
exit 0
