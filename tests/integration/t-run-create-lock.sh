# cnt-start during a cnt-create: refused at once (not queued behind the create's lock); after a
# creator that died, the half-made container is removed instead of started.
. "$(dirname "$0")/lib.sh"
need_root
n=c$$
# A slow template: says it runs, waits for the test, then is the busybox template.
cat > "$T_DIR/slow-tpl" <<TPL
#!/bin/sh
echo \$\$ > "$T_DIR/tpl.pid"
touch "$T_DIR/started"
while [ ! -e "$T_DIR/go" ]; do sleep 0.1; done
exec "$TOP/templates/cnt-busybox" "\$@"
TPL
chmod 755 "$T_DIR/slow-tpl"

cnt-create -P "$LXCPATH" -n "$n" -t "$T_DIR/slow-tpl" > "$T_DIR/create.out" 2>&1 &
creator=$!
on_exit "touch '$T_DIR/go'; kill -9 $creator"
on_exit "cnt-stop -P '$LXCPATH' -n '$n' -k; cnt-destroy -P '$LXCPATH' -n '$n' -f"
for i in $(seq 1 600); do [ -e "$T_DIR/started" ] && break; sleep 0.1; done
[ -e "$T_DIR/started" ] || fail "template did not start"
# The create holds the container's lock: cnt-start answers at once instead of waiting.
expect_rc 1 timeout 20 cnt-start -P "$LXCPATH" -n "$n"
assert_contains "$OUT" "is being created"
expect_rc 0 cnt-info -P "$LXCPATH" -n "$n" -s
assert_contains "$OUT" "STOPPED"
[ -e "$LXCPATH/$n/partial" ] || fail "the refused start touched the create's marker"
touch "$T_DIR/go"
wait "$creator" || fail "cnt-create failed: $(cat "$T_DIR/create.out")"
expect_rc 0 cnt-start -P "$LXCPATH" -n "$n"
expect_rc 0 cnt-attach -P "$LXCPATH" -n "$n" -- hostname
assert_eq "$OUT" "$n" "hostname of the created container"
expect_rc 0 cnt-stop -P "$LXCPATH" -n "$n" -k
expect_rc 0 cnt-destroy -P "$LXCPATH" -n "$n"

# A creator killed outright: its marker is no longer locked, and cnt-start removes the half
# container under its own lock instead of starting it.
rm -f "$T_DIR/go" "$T_DIR/started" "$T_DIR/tpl.pid"
cnt-create -P "$LXCPATH" -n "$n" -t "$T_DIR/slow-tpl" > /dev/null 2>&1 &
creator=$!
on_exit "kill -9 $creator"
for i in $(seq 1 600); do [ -e "$T_DIR/started" ] && break; sleep 0.1; done
[ -e "$T_DIR/started" ] || fail "template did not start (2)"
tpl=$(cat "$T_DIR/tpl.pid")
on_exit "kill -9 $tpl"
kill -9 "$creator"; wait "$creator" 2>/dev/null
kill -9 "$tpl"
[ -e "$LXCPATH/$n/partial" ] || fail "no partial marker after the creator died"
[ -e "$LXCPATH/$n/config" ] || fail "the dead creator left no config (test premise)"
expect_rc 1 cnt-start -P "$LXCPATH" -n "$n"
assert_contains "$OUT" "doesn't exist"
[ ! -e "$LXCPATH/$n" ] || fail "half-created container left in place: $(ls -la "$LXCPATH/$n")"
exit 0
