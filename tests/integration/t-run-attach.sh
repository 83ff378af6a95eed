# cnt-attach: exit codes, environment, stdin, namespaces.
. "$(dirname "$0")/lib.sh"
need_root
n=c$$
mk_busybox "$n"
expect_rc 0 cnt-start -P "$LXCPATH" -n "$n"
expect_rc 7 cnt-attach -P "$LXCPATH" -n "$n" -- sh -c 'exit 7'
expect_rc 137 cnt-attach -P "$LXCPATH" -n "$n" -- sh -c 'kill -9 $$'
expect_rc 127 cnt-attach -P "$LXCPATH" -n "$n" -- /no/such/cmd
out=$(echo hostname | cnt-attach -P "$LXCPATH" -n "$n")
assert_eq "$out" "$n" "stdin piped to the login shell"
export FOO=bar
expect_rc 0 cnt-attach -P "$LXCPATH" -n "$n" -- env
assert_contains "$OUT" "FOO=bar"
assert_contains "$OUT" "container=cnt"
expect_rc 0 cnt-attach -P "$LXCPATH" -n "$n" --clear-env --keep-var FOO -v X=1 -- env
assert_contains "$OUT" "FOO=bar"
assert_contains "$OUT" "X=1"
assert_not_contains "$OUT" "HOME="
expect_rc 0 cnt-attach -P "$LXCPATH" -n "$n" -u 1000 -g 1000 -- id -u
assert_eq "$OUT" "1000"
# Only the uts namespace: the host's filesystem, the container's hostname.
expect_rc 0 cnt-attach -P "$LXCPATH" -n "$n" -s UTSNAME -- hostname
assert_eq "$OUT" "$n"
expect_rc 0 cnt-attach -P "$LXCPATH" -n "$n" -s UTSNAME -- test -d "$LXCPATH"
expect_rc 0 cnt-attach -P "$LXCPATH" -n "$n" -- sh -c 'echo $$'
expect_rc 0 cnt-stop -P "$LXCPATH" -n "$n" -k
expect_rc 1 cnt-attach -P "$LXCPATH" -n "$n" -- true
assert_contains "$OUT" "not running"
exit 0
