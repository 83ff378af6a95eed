# lxc.seccomp.profile: a denied syscall fails inside with the configured errno; a bad
# profile stops the start with file:line.
. "$(dirname "$0")/lib.sh"
need_root
need_cmd cnt-start

prof="$T_DIR/deny-mkdir.seccomp"
cat > "$prof" <<'P'
2
denylist
reject_force_umount
[all]
mkdir errno 1
mkdirat errno 1
[x86_64]
# ENOSYS for personality(2), on the native ABI only
personality errno 38
P
n=c$$
mk_busybox "$n" "lxc.seccomp.profile = $prof"
out=$(cnt-start -P "$LXCPATH" -n "$n" -F -- sh -c 'mkdir /tmp/x; echo rc=$?; touch /tmp/y && echo touched' </dev/null 2>&1)
assert_contains "$out" "Operation not permitted" "mkdir denied with EPERM"
assert_contains "$out" "rc=1" "mkdir exit code"
assert_contains "$out" "touched" "other syscalls still allowed"
out=$(cnt-start -P "$LXCPATH" -n "$n" -F -- grep '^Seccomp:' /proc/self/status </dev/null 2>&1)
assert_contains "$out" "2" "init runs under a seccomp filter"

bad="$T_DIR/bad.seccomp"
printf '2\ndenylist\nmkdir errno 1\nno_such_call errno 1\n' > "$bad"
b=b$$
mk_busybox "$b" "lxc.seccomp.profile = $bad"
expect_rc 1 cnt-start -P "$LXCPATH" -n "$b" -F -- true </dev/null
assert_contains "$OUT" "$bad:4: unknown system call \"no_such_call\"" "bad profile error"

bad2="$T_DIR/bad2.seccomp"
printf '2\ndenylist\nmkdir explode\n' > "$bad2"
d=d$$
mk_busybox "$d" "lxc.seccomp.profile = $bad2"
expect_rc 1 cnt-start -P "$LXCPATH" -n "$d" -F -- true </dev/null
assert_contains "$OUT" "$bad2:3: unknown action \"explode\"" "bad action error"
exit 0
