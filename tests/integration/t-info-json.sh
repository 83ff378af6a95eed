# cnt-info --json: one object with the keys of cnt-ls --json, for a stopped and a running container.
. "$(dirname "$0")/lib.sh"
need_root
need_cmd python3
n=j$$
expect_rc 0 cnt-create -P "$LXCPATH" -n $n -t busybox -q
cleanup_container $n
check_json() {
    printf '%s' "$1" | python3 -c '
import json, sys
o = json.load(sys.stdin)
want = sys.argv[1]
for k in ("name", "state", "pid", "ram", "swap", "autostart", "groups", "interfaces", "ipv4", "ipv6", "unprivileged"):
    assert k in o, "missing key " + k
assert o["name"] == sys.argv[2], o["name"]
assert o["state"] == want, o["state"]
assert (o["pid"] is None or o["pid"] == 0) if want == "STOPPED" else o["pid"] > 0, o["pid"]
' "$2" "$n" || fail "bad JSON for $2: $1"
}
expect_rc 0 cnt-info -P "$LXCPATH" -n $n --json
check_json "$OUT" STOPPED
expect_rc 0 cnt-start -P "$LXCPATH" -n $n -d
expect_rc 0 cnt-info -P "$LXCPATH" -n $n --json
check_json "$OUT" RUNNING
expect_rc 0 cnt-stop -P "$LXCPATH" -n $n -k
