#!/usr/bin/env bash
# cnt-oci: config.json seen from inside: memory and pids limits, hostname, a read-only root,
# masked and read-only paths; hooks at their points with the state on stdin; a field cnt
# cannot honour refused by name (also as a JSON log line), with nothing made.
. "$(dirname "$0")/lib.sh"
oci_setup

B="$T_DIR/bundle"
oci_bundle "$B"
c=oci-cfg-$$
run_in() {  # run_in ID: `cnt-oci run`, output in $OUT, exit code in $RC
    oci_cleanup "$1"
    OUT=$(cd "$B" && "${OCI[@]}" run "$1" </dev/null 2>&1); RC=$?
}

# Limits (the container's cgroup is the parent of the one it sees, so the memory limit shows
# as hierarchical, and the pids limit is tried), hostname, read-only root and paths, masked paths.
oci_edit "$B" '
c["hostname"] = "ocihost"
c["linux"]["resources"]["memory"] = {"limit": 67108864}
c["linux"]["resources"]["pids"] = {"limit": 20}
c["process"]["args"] = ["sh", "-c", """
hostname
awk "/^hierarchical_memory_limit/ {print \\$2}" /sys/fs/cgroup/memory/memory.stat
n=$( (for i in $(seq 30); do sleep 2 & echo ok; done) 2>/dev/null | wc -l)
[ $n -lt 20 ] && echo pids-limited || echo pids-unlimited $n
touch /newfile 2>/dev/null && echo root-writable || echo root-readonly
echo x 2>/dev/null > /proc/sys/kernel/domainname && echo sys-writable || echo sys-readonly
wc -c < /proc/timer_list
ls /sys/firmware | wc -l
"""]'
run_in $c-limits
assert_eq "$RC" 0 "run: $OUT"
assert_eq "$OUT" "ocihost
67108864
pids-limited
root-readonly
sys-readonly
0
0" "what the container sees"
[ -e "$B/rootfs/newfile" ] && fail "the read-only root was written"
[ -s /proc/timer_list ] || [ "$(head -c1 /proc/timer_list | wc -c)" = 1 ] ||
    fail "the host's /proc/timer_list is empty: the masked path check proves nothing"
oci_leftovers $c-limits

# A namespace joined by path: a network namespace pinned by `ip netns`.
ns=oci-cfg-$$
ip netns add $ns || fail "ip netns add"
on_exit "ip netns del $ns"
oci_edit "$B" "
c['linux']['namespaces'] = [n for n in c['linux']['namespaces'] if n['type'] != 'network']
c['linux']['namespaces'].append({'type': 'network', 'path': '/run/netns/$ns'})
c['process']['args'] = ['stat', '-L', '-c', '%i', '/proc/self/ns/net']"
run_in $c-netns
assert_eq "$RC" 0 "run in a network namespace by path: $OUT"
assert_eq "$OUT" "$(stat -L -c %i /run/netns/$ns)" "the network namespace joined"
oci_leftovers $c-netns

# Hooks: each in order, with the state JSON on stdin; startContainer runs in the container.
mkdir -p "$T_DIR/hooks"
hook() {  # a hook appending its name and the state's status to hooks/log
    printf '{"path": "/bin/sh", "args": ["sh", "-c", "s=$(cat); echo %s ${s#*status} >> %s/log"]}' \
        "$1" "$2"
}
oci_edit "$B" "
c['process']['args'] = ['sh', '-c', 'echo process >> /hooks/log']
c['root']['readonly'] = False
c['mounts'].append({'destination': '/hooks', 'type': 'bind', 'source': '$T_DIR/hooks',
                    'options': ['rbind', 'rw']})
c['hooks'] = {}
for name in ['prestart', 'createRuntime', 'createContainer', 'poststart', 'poststop']:
    c['hooks'][name] = [json.loads('''$(hook NAME "$T_DIR/hooks")'''.replace('NAME', name))]
c['hooks']['startContainer'] = [json.loads('''$(hook startContainer /hooks)''')]
"
run_in $c-hooks
assert_eq "$RC" 0 "run with hooks: $OUT"
got=$(awk '{print $1}' "$T_DIR/hooks/log" | tr '\n' ' ')
# poststart and the process race (the process may end first): both after startContainer.
case "$got" in
    "prestart createRuntime createContainer startContainer process poststart poststop "|\
    "prestart createRuntime createContainer startContainer poststart process poststop ") ;;
    *) fail "hooks out of order: $got" ;;
esac
grep -q '^prestart.*"creat' "$T_DIR/hooks/log" || fail "prestart's stdin: $(cat "$T_DIR/hooks/log")"
grep -q '^poststop.*"stopped"' "$T_DIR/hooks/log" ||
    fail "poststop's stdin: $(cat "$T_DIR/hooks/log")"
oci_leftovers $c-hooks

# A field cnt cannot honour: refused by name, nothing made; --log-format json for the shims.
oci_edit "$B" 'c["linux"]["intelRdt"] = {"closID": "x"}'
oci_cleanup $c-bad
expect_rc 1 cnt-oci --root "$OCI_ROOT" --log "$T_DIR/log.json" --log-format json \
    create --bundle "$B" $c-bad
assert_contains "$OUT" "linux.intelRdt is not supported"
python3 -c 'import json,sys; d=json.loads(open(sys.argv[1]).readline());
assert d["level"] == "error" and "intelRdt" in d["msg"] and d["time"]' "$T_DIR/log.json" ||
    fail "the JSON log line: $(cat "$T_DIR/log.json")"
oci_edit "$B" 'del c["linux"]["intelRdt"]; c["process"]["apparmorProfile"] = "p"'
expect_rc 1 "${OCI[@]}" create --bundle "$B" $c-bad
assert_contains "$OUT" "process.apparmorProfile is not supported"
oci_leftovers $c-bad
echo "PASS: $T_NAME"
