# cnt-top: the running containers' counters from cgroups and netlink: a busy container and an
# idle one, a veth whose traffic the container makes; --batch, --json, sorting, refusals.
. "$(dirname "$0")/lib.sh"
need_root
A=tb-topa$$ B=tb-topb$$ S=tb-tops$$
for n in $A $B $S; do cleanup_container $n; expect_rc 0 cnt-create -n $n -t busybox; done
printf '%s\n' "lxc.net.0.type = veth" "lxc.net.0.flags = up" \
    "lxc.net.0.ipv4.address = 10.213.0.2/24" \
    "lxc.net.0.veth.pair = tbtop$$" >> "$LXCPATH/$A/config"
expect_rc 0 cnt-start -n $A
expect_rc 0 cnt-start -n $B
# A busy loop in A (killed with the container), traffic out of A's veth.
cnt-attach -n $A -- sh -c 'while :; do :; done' >/dev/null 2>&1 &
busy=$!
on_exit "kill $busy"
cnt-attach -n $A -- ping -c 3 -W 1 10.213.0.1 >/dev/null 2>&1

expect_rc 0 cnt-top -d 0.5 --iterations 1 --json -s c -r
[ "$(printf '%s\n' "$OUT" | wc -l)" = 1 ] || fail "one JSON line per refresh: $OUT"
printf '%s' "$OUT" | python3 -c '
import json, sys
rows = json.load(sys.stdin)
a, b, s = sys.argv[1:4]
names = [r["name"] for r in rows]
assert names[0] == a, ("sorted by CPU, descending", names)
assert s not in names, ("a stopped container listed", names)
r = {x["name"]: x for x in rows}
assert r[a]["cpu_percent"] > r[b]["cpu_percent"], r
assert r[a]["pids"] > r[b]["pids"] >= 1, r
assert r[a]["memory"] > 0 and r[b]["memory"] > 0, r
assert r[a]["tx_bytes"] >= 3 * 84, ("pings counted on the veth", r[a])
assert r[b]["tx_bytes"] == 0 and r[b]["rx_bytes"] == 0, r[b]
' $A $B $S || fail "json: $OUT"
# The host side of the veth says the same (what the container sent, the host received).
host_rx=$(cat /sys/class/net/tbtop$$/statistics/rx_bytes)
[ "$host_rx" -ge 252 ] || fail "host rx_bytes $host_rx"

expect_rc 0 cnt-top -d 0.2 --iterations 2 -b -s n
assert_eq "$(printf '%s\n' "$OUT" | grep -c '^Container ')" 2 "two refreshes"
assert_contains "$OUT" "$A"
order=$(printf '%s\n' "$OUT" | grep "$A\|$B" | head -2 | awk '{print $1}' | tr '\n' ' ')
[ "$order" = "$A $B " ] ||
    fail "sorted by name: $OUT"
expect_rc 1 cnt-top -s x --iterations 1
expect_rc 1 cnt-top -d 0 --iterations 1
kill $busy
expect_rc 0 cnt-stop -n $A -k
expect_rc 0 cnt-stop -n $B -k
