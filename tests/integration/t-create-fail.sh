# A create that fails, is interrupted or dies leaves nothing behind; two creates race cleanly.
. "$(dirname "$0")/lib.sh"
need_root
N=f$$

# A failing template: its own error is shown, exit 1, no directory.
cat > "$T_DIR/bad-tpl" <<'TPL'
#!/bin/sh
for a; do case $a in --rootfs=*) r=${a#*=};; esac; done
mkdir -p "$r/etc" && echo half > "$r/etc/half"
echo "bad-tpl: the mirror is unreachable" >&2
exit 3
TPL
chmod 755 "$T_DIR/bad-tpl"
expect_rc 1 cnt-create -n $N -t "$T_DIR/bad-tpl"
assert_contains "$OUT" "bad-tpl: the mirror is unreachable"
assert_contains "$OUT" "Failed to create container from template"
[ ! -e "$LXCPATH/$N" ] || fail "failed template left $LXCPATH/$N"

# A missing -f config: nothing made.
expect_rc 1 cnt-create -n $N -t busybox -f "$T_DIR/no-such.conf"
[ ! -e "$LXCPATH/$N" ] || fail "missing -f left a directory"

# Interrupted (SIGINT, SIGTERM) while the template runs: rolled back, exit 1.
cat > "$T_DIR/slow-tpl" <<'TPL'
#!/bin/sh
for a; do case $a in --path=*) p=${a#*=};; esac; done
echo $$ > "$p/../tpl.pid"
touch "$p/rootfs/started"
exec sleep 1000
TPL
chmod 755 "$T_DIR/slow-tpl"
for sig in INT TERM; do
    cnt-create -n $N -t "$T_DIR/slow-tpl" > "$T_DIR/out" 2>&1 &
    pid=$!
    on_exit "kill -9 $pid"
    for i in $(seq 1 600); do [ -e "$LXCPATH/$N/rootfs/started" ] && break; sleep 0.1; done
    [ -e "$LXCPATH/$N/rootfs/started" ] || fail "template did not start"
    on_exit "kill -9 $(cat "$LXCPATH/tpl.pid")"
    kill -$sig $pid
    wait $pid; rc=$?
    assert_eq "$rc" 1 "exit code after SIG$sig"
    assert_contains "$(cat "$T_DIR/out")" "interrupted"
    [ ! -e "$LXCPATH/$N" ] || fail "SIG$sig left $LXCPATH/$N"
    rm -f "$LXCPATH/tpl.pid"
done

# A creator killed outright leaves an unlocked partial marker: the next tool cleans it up.
cnt-create -n $N -t "$T_DIR/slow-tpl" > /dev/null 2>&1 &
pid=$!
on_exit "kill -9 $pid"
for i in $(seq 1 600); do [ -e "$LXCPATH/$N/rootfs/started" ] && break; sleep 0.1; done
[ -e "$LXCPATH/$N/partial" ] || fail "no partial marker while creating"
kill -9 $pid; wait $pid 2>/dev/null
kill -9 "$(cat "$LXCPATH/tpl.pid")" 2>/dev/null
[ -e "$LXCPATH/$N/partial" ] || fail "partial marker vanished with the creator"
expect_rc 0 cnt-destroy -n $N
assert_contains "$OUT" "Destroyed container $N"
[ ! -e "$LXCPATH/$N" ] || fail "half-created container not cleaned up"

# Two concurrent creates of one name: exactly one wins, the other says it exists.
cleanup_container $N
cnt-create -n $N -t busybox > "$T_DIR/o1" 2>&1 & p1=$!
cnt-create -n $N -t busybox > "$T_DIR/o2" 2>&1 & p2=$!
wait $p1; r1=$?
wait $p2; r2=$?
assert_eq "$(( r1 + r2 ))" 1 "exactly one create fails (rc $r1 and $r2)"
assert_contains "$(cat "$T_DIR/o1" "$T_DIR/o2")" "Container already exists"
assert_eq "$(chroot "$LXCPATH/$N/rootfs" /bin/sh -c 'echo ok')" ok "winner intact"

# A full disk (a 1 MiB tmpfs cannot hold busybox): the template fails, nothing is left.
S=$T_DIR/small
mkdir -p "$S"
mount -t tmpfs -o size=1m cnt-test-small "$S"
on_exit "umount -l '$S'"
expect_rc 1 cnt-create -P "$S" -n $N -t busybox
assert_contains "$OUT" "No space left on device"
[ -z "$(ls -A "$S")" ] || fail "full disk left: $(ls -A "$S")"
umount "$S"
