# cnt-copy -e: an overlay clone started in the background and destroyed when it stops; the
# source is unchanged.
. "$(dirname "$0")/lib.sh"
need_root
S=cp-esrc$$ E=cp-eph$$
expect_rc 0 cnt-create -n $S -t busybox -q
cleanup_container $S
cleanup_container $E
expect_rc 0 cnt-copy -n $S -N $E -e
assert_contains "$OUT" "Started ephemeral container $E"
assert_contains "$(grep '^lxc.ephemeral' "$LXCPATH/$E/config")" "= 1"
expect_rc 0 cnt-attach -n $E -- sh -c 'echo eph > /etc/eph; hostname'
assert_eq "$OUT" "$E" "hostname of the ephemeral clone"
expect_rc 0 cnt-stop -n $E
for i in $(seq 100); do [ -e "$LXCPATH/$E" ] || break; sleep 0.05; done
[ ! -e "$LXCPATH/$E" ] || fail "ephemeral container left after stop: $(ls -A "$LXCPATH/$E")"
[ ! -e "$LXCPATH/$S/rootfs/etc/eph" ] || fail "ephemeral write reached the source"
# Without -N: a name of its own (NAME-XXXXXX), gone after a hard stop too.
expect_rc 0 cnt-copy -n $S -e
name=$(printf '%s\n' "$OUT" | sed -n 's/^Started ephemeral container //p')
[[ "$name" == $S-?????? ]] || fail "ephemeral name: [$name]"
on_exit "cnt-stop -P '$LXCPATH' -n '$name' -k; cnt-destroy -P '$LXCPATH' -n '$name' -f"
expect_rc 0 cnt-stop -n "$name" -k
for i in $(seq 100); do [ -e "$LXCPATH/$name" ] || break; sleep 0.05; done
[ ! -e "$LXCPATH/$name" ] || fail "ephemeral container left after stop -k"
expect_rc 0 cnt-destroy -n $S
[ -z "$(ls -A "$LXCPATH")" ] || fail "left in the lxcpath: $(ls -A "$LXCPATH")"
echo "PASS: $T_NAME"
