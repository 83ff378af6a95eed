# lxc.prlimit.*, lxc.no_new_privs, lxc.proc.*, lxc.sysctl.*, seen from inside.
. "$(dirname "$0")/lib.sh"
need_root
need_cmd cnt-start

n=c$$
mk_busybox "$n" "lxc.prlimit.nofile = 1234:2345" "lxc.prlimit.core = unlimited" \
    "lxc.no_new_privs = 1" "lxc.proc.oom_score_adj = 123" "lxc.sysctl.net.ipv4.ip_forward = 1"
# Sysctls are written through the container's /proc: keep it writable here.
sed -i 's/proc:mixed/proc:rw/' "$LXCPATH/$n/config"
out=$(cnt-start -P "$LXCPATH" -n "$n" -F -- sh -c 'ulimit -n; ulimit -Hn; ulimit -c' </dev/null 2>&1)
assert_eq "$out" "1234
2345
unlimited" "prlimits"
out=$(cnt-start -P "$LXCPATH" -n "$n" -F -- grep '^NoNewPrivs:' /proc/self/status </dev/null 2>&1)
assert_contains "$out" "1" "no_new_privs"
out=$(cnt-start -P "$LXCPATH" -n "$n" -F -- cat /proc/self/oom_score_adj /proc/sys/net/ipv4/ip_forward </dev/null 2>&1)
assert_eq "$out" "123
1" "proc and sysctl"

m=m$$
mk_busybox "$m"
out=$(cnt-start -P "$LXCPATH" -n "$m" -F -- grep '^NoNewPrivs:' /proc/self/status </dev/null 2>&1)
assert_contains "$out" "0" "no_new_privs off by default"

b=b$$
mk_busybox "$b" "lxc.sysctl.net.no_such_key = 1"
sed -i 's/proc:mixed/proc:rw/' "$LXCPATH/$b/config"
expect_rc 1 cnt-start -P "$LXCPATH" -n "$b" -F -- true </dev/null
assert_contains "$OUT" "net.no_such_key" "a bad sysctl names the key"
exit 0
