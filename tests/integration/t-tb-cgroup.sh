# cnt-cgroup: read and write a running container's cgroup values by their v1 or v2 names on this
# hybrid host (limits in v1, cgroup.freeze in the v2 leaf). Seen on the host (the v1 files) and
# inside (a pids limit that stops forks, a device rule that stops reads).
. "$(dirname "$0")/lib.sh"
need_root
N=tb-cg$$
cleanup_container $N
expect_rc 0 cnt-create -n $N -t busybox
expect_rc 1 cnt-cgroup -n $N memory.max
assert_eq "$OUT" "cnt-cgroup: $N: is not running"
expect_rc 0 cnt-start -n $N
state=$(ls /run/cnt-test/"$(basename "$T_DIR")"/*/$N/state)
mem=$(sed -n 's/^cgroup.v1.[0-9]*=\(.*\/memory\/.*\)$/\1/p' "$state")
cpu=$(sed -n 's/^cgroup.v1.[0-9]*=\(.*\/cpu\/.*\)$/\1/p' "$state")
pids=$(sed -n 's/^cgroup.v1.[0-9]*=\(.*\/pids\/.*\)$/\1/p' "$state")
v2=$(sed -n 's/^cgroup.v2=//p' "$state")
[ -d "$mem" ] && [ -d "$cpu" ] && [ -d "$pids" ] && [ -d "$v2" ] || fail "cgroup dirs: $mem $cpu $pids $v2"

# --- reads: the v1 name as the file says, the v2 name translated ------------------------------
expect_rc 0 cnt-cgroup -n $N memory.limit_in_bytes
assert_eq "$OUT" "$(cat "$mem/memory.limit_in_bytes")"
expect_rc 0 cnt-cgroup -n $N memory.max
assert_eq "$OUT" "max"
expect_rc 0 cnt-cgroup -n $N cgroup.freeze          # a v2-only file, from the v2 leaf
assert_eq "$OUT" "0"

# --- writes: a v2 name lands in the v1 file, translated ---------------------------------------
expect_rc 0 cnt-cgroup -n $N memory.max 64M
assert_eq "$(cat "$mem/memory.limit_in_bytes")" 67108864 "memory.max 64M on the host"
expect_rc 0 cnt-cgroup -n $N memory.limit_in_bytes
assert_eq "$OUT" 67108864
expect_rc 0 cnt-cgroup -n $N cpu.max "25000 100000"
assert_eq "$(cat "$cpu/cpu.cfs_quota_us") $(cat "$cpu/cpu.cfs_period_us")" "25000 100000"
expect_rc 0 cnt-cgroup -n $N cpu.weight 200
assert_eq "$(cat "$cpu/cpu.shares")" 2048 "cpu.weight 200 as shares"
expect_rc 0 cnt-cgroup -n $N cpu.max
assert_eq "$OUT" "25000 100000"

# --- refused as a config would refuse them; nothing written -----------------------------------
expect_rc 1 cnt-cgroup -n $N memory.max abc
assert_contains "$OUT" "lxc.cgroup2.memory.max = abc: not a byte count"
expect_rc 1 cnt-cgroup -n $N memory.limit_in_bytes 12Q
assert_eq "$(cat "$mem/memory.limit_in_bytes")" 67108864 "a refused write changed the limit"
expect_rc 1 cnt-cgroup -n $N devices.allow "x 1:3 rwm"
assert_contains "$OUT" "device rule must be"
expect_rc 1 cnt-cgroup -n $N ../../memory.x 1
expect_rc 1 cnt-cgroup -n $N nosuch.file
assert_contains "$OUT" "no cgroup file \"nosuch.file\""
expect_rc 1 cnt-cgroup -n $N
expect_rc 1 cnt-cgroup -n $N a.b c d

# --- inside: a pids limit stops forks; a device rule stops reads ------------------------------
# (room for the attached shell and one child: the sixth sleep cannot be forked)
limit=$(( $(cat "$pids/pids.current") + 2 ))
expect_rc 0 cnt-cgroup -n $N pids.max $limit
assert_eq "$(cat "$pids/pids.max")" $limit
expect_rc 2 cnt-attach -n $N -- sh -c 'for i in 1 2 3 4 5 6; do sleep 30 & done; wait'
assert_contains "$OUT" "can't fork"
expect_rc 0 cnt-cgroup -n $N pids.max max
expect_rc 0 cnt-attach -n $N -- sh -c 'for i in 1 2 3 4 5 6; do true & done; wait'
expect_rc 0 cnt-attach -n $N -- head -c 1 /dev/zero
expect_rc 0 cnt-cgroup -n $N devices.deny "c 1:5 rwm"
expect_rc 1 cnt-attach -n $N -- head -c 1 /dev/zero
assert_contains "$OUT" "Operation not permitted"
expect_rc 0 cnt-stop -n $N -k
