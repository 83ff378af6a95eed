# lxc.namespace.share.<ns>: B joins A's net and uts namespaces instead of making its own.
. "$(dirname "$0")/lib.sh"
need_root
a=a$$ b=b$$
mk_busybox "$a" "lxc.net.0.type = veth" "lxc.net.0.name = eth0" \
    "lxc.net.0.ipv4.address = 10.211.$((RANDOM % 200)).2/24" "lxc.net.0.flags = up"
mk_busybox "$b" "lxc.namespace.share.net = $a" "lxc.namespace.share.uts = $a"

# A target that is not running: a clear error naming the key, nothing left behind.
before=$(host_snapshot "$b")
expect_rc 1 cnt-start -P "$LXCPATH" -n "$b"
assert_contains "$OUT" "lxc.namespace.share.uts: container \"$a\" is not running"
assert_contains "$OUT" "not running"
assert_eq "$(host_snapshot "$b")" "$before" "what a refused start left"

expect_rc 0 cnt-start -P "$LXCPATH" -n "$a"
expect_rc 0 cnt-start -P "$LXCPATH" -n "$b"
# Seen from inside B: A's hostname and A's interfaces.
expect_rc 0 cnt-attach -P "$LXCPATH" -n "$b" -- hostname
assert_eq "$OUT" "$a" "hostname seen in $b"
expect_rc 0 cnt-attach -P "$LXCPATH" -n "$a" -- ip -o addr show eth0
a_addr=$(printf '%s\n' "$OUT" | grep -o 'inet [0-9./]*')
[ -n "$a_addr" ] || fail "no address on $a's eth0: $OUT"
expect_rc 0 cnt-attach -P "$LXCPATH" -n "$b" -- ip -o addr show eth0
assert_contains "$OUT" "$a_addr" "$b sees $a's eth0"
expect_rc 0 cnt-attach -P "$LXCPATH" -n "$b" -- readlink /proc/1/ns/net
b_net=$OUT
expect_rc 0 cnt-attach -P "$LXCPATH" -n "$a" -- readlink /proc/1/ns/net
assert_eq "$b_net" "$OUT" "net namespace of both inits"
# Not shared: each has its own pid and ipc namespace.
expect_rc 0 cnt-attach -P "$LXCPATH" -n "$b" -- readlink /proc/1/ns/ipc
b_ipc=$OUT
expect_rc 0 cnt-attach -P "$LXCPATH" -n "$a" -- readlink /proc/1/ns/ipc
[ "$b_ipc" != "$OUT" ] || fail "ipc namespace shared though not configured"

# Stopping B leaves A running, with its interface.
expect_rc 0 cnt-stop -P "$LXCPATH" -n "$b" -k
expect_rc 0 cnt-info -P "$LXCPATH" -n "$a" -s
assert_contains "$OUT" "RUNNING"
expect_rc 0 cnt-attach -P "$LXCPATH" -n "$a" -- ip -o addr show eth0
assert_contains "$OUT" "$a_addr" "$a's eth0 after $b stopped"

# A pid works as well as a name.
pid=$(cnt-info -P "$LXCPATH" -n "$a" -p -H)
expect_rc 0 cnt-start -P "$LXCPATH" -n "$b" -s "lxc.namespace.share.net=$pid" -s "lxc.namespace.share.uts=/proc/$pid/ns/uts"
expect_rc 0 cnt-attach -P "$LXCPATH" -n "$b" -- hostname
assert_eq "$OUT" "$a" "hostname seen in $b (by pid)"
expect_rc 0 cnt-stop -P "$LXCPATH" -n "$b" -k

# pid, ipc and cgroup namespaces: B's init is a process of A's pid namespace (not its pid 1),
# sees A's processes, and shares A's ipc and cgroup namespaces.
expect_rc 0 cnt-start -P "$LXCPATH" -n "$b" -s "lxc.namespace.share.net=" -s "lxc.namespace.share.uts=" \
    -s "lxc.namespace.share.pid=$a" -s "lxc.namespace.share.ipc=$a" -s "lxc.namespace.share.cgroup=$a" \
    -s "lxc.init.cmd=/bin/sleep 100001"
pb=$(cnt-info -P "$LXCPATH" -n "$b" -p -H)
for k in pid ipc cgroup; do
    assert_eq "$(readlink /proc/"$pb"/ns/$k)" "$(readlink /proc/"$pid"/ns/$k)" "$k namespace of both inits"
done
[ "$(readlink /proc/"$pb"/ns/net)" != "$(readlink /proc/"$pid"/ns/net)" ] || fail "net shared though not configured"
expect_rc 0 cnt-attach -P "$LXCPATH" -n "$a" -- ps -o pid,comm,args
assert_contains "$OUT" "sleep 100001" "$a sees $b's init"
expect_rc 0 cnt-attach -P "$LXCPATH" -n "$b" -- sh -c 'cat /proc/1/comm; echo self=$$'
assert_contains "$OUT" "init" "pid 1 seen by $b is $a's init"
expect_rc 0 cnt-stop -P "$LXCPATH" -n "$b" -k
expect_rc 0 cnt-info -P "$LXCPATH" -n "$a" -s
assert_contains "$OUT" "RUNNING"
expect_rc 0 cnt-stop -P "$LXCPATH" -n "$a" -k

# A time namespace (made here by unshare, with a boot-time offset) is joined around the clone,
# as the pid namespace is: B's init and what is attached to it see the offset.
unshare --time --boottime 1000000 --fork sleep 600 &
us=$!
on_exit "kill $us"
ts=
for i in $(seq 100); do ts=$(cat /proc/$us/task/$us/children 2>/dev/null); [ -n "$ts" ] && break; sleep 0.05; done
ts=${ts%% *}
[ -n "$ts" ] || fail "unshare --time did not start its child"
on_exit "kill $ts"
expect_rc 0 cnt-start -P "$LXCPATH" -n "$b" -s "lxc.namespace.share.net=" -s "lxc.namespace.share.uts=" \
    -s "lxc.namespace.share.time=$ts" -s "lxc.init.cmd=/bin/sleep 100002"
pb=$(cnt-info -P "$LXCPATH" -n "$b" -p -H)
assert_eq "$(readlink /proc/"$pb"/ns/time)" "$(readlink /proc/"$ts"/ns/time)" "time namespace of init"
[ "$(readlink /proc/"$pb"/ns/time)" != "$(readlink /proc/self/ns/time)" ] || fail "init in the host's time namespace"
expect_rc 0 cnt-attach -P "$LXCPATH" -n "$b" -- cat /proc/uptime
[ "${OUT%%.*}" -ge 1000000 ] 2>/dev/null || fail "uptime inside $b is [$OUT], not offset by 1000000 s"
expect_rc 0 cnt-stop -P "$LXCPATH" -n "$b" -k

# A shared user namespace is joined first: B's own namespaces then belong to A's user
# namespace, and B sees A's id map.
chmod 755 "$T_DIR" "$LXCPATH"
ua=ua$$ ub=ub$$
mk_busybox "$ua" "lxc.console.path = none" "lxc.idmap = u 0 100000 65536" "lxc.idmap = g 0 100000 65536"
mk_busybox "$ub" "lxc.console.path = none" "lxc.namespace.share.user = $ua" "lxc.init.cmd = /bin/sleep 100000"
for c in "$ua" "$ub"; do chown -R 100000:100000 "$LXCPATH/$c/rootfs"; chmod 755 "$LXCPATH/$c"; done
expect_rc 0 cnt-start -P "$LXCPATH" -n "$ua"
expect_rc 0 cnt-start -P "$LXCPATH" -n "$ub"
pa=$(cnt-info -P "$LXCPATH" -n "$ua" -p -H)
pb=$(cnt-info -P "$LXCPATH" -n "$ub" -p -H)
assert_eq "$(readlink /proc/"$pb"/ns/user)" "$(readlink /proc/"$pa"/ns/user)" "user namespace of both inits"
[ "$(readlink /proc/"$pb"/ns/pid)" != "$(readlink /proc/"$pa"/ns/pid)" ] || fail "pid namespace shared though not configured"
expect_rc 0 cnt-attach -P "$LXCPATH" -n "$ub" -- cat /proc/1/uid_map
assert_eq "$(echo $OUT)" "0 100000 65536" "uid map seen inside $ub"
expect_rc 0 cnt-attach -P "$LXCPATH" -n "$ub" -- ps -o pid,user,comm
assert_contains "$OUT" "1 root     sleep" "init of $ub: pid 1, root of the shared user namespace"
expect_rc 0 cnt-stop -P "$LXCPATH" -n "$ub" -k
expect_rc 0 cnt-info -P "$LXCPATH" -n "$ua" -s
assert_contains "$OUT" "RUNNING"
expect_rc 0 cnt-stop -P "$LXCPATH" -n "$ua" -k
exit 0
