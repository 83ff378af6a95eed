# A seccomp profile together with lxc.cap.drop = sys_admin (and keep = none), without
# no_new_privs: the kernel installs a filter only while init still has CAP_SYS_ADMIN, so init
# must load it before it drops its capabilities. Both must hold inside.
. "$(dirname "$0")/lib.sh"
need_root
need_cmd cnt-start

prof="$T_DIR/deny-mkdir.seccomp"
printf '2\ndenylist\nmkdir errno 1\nmkdirat errno 1\n' > "$prof"
for keep in "lxc.cap.drop = sys_admin" "lxc.cap.keep = none"; do
    n=c$$-${#keep}
    mk_busybox "$n" "lxc.seccomp.profile = $prof" "$keep"
    out=$(cnt-start -P "$LXCPATH" -n "$n" -F -- sh -c 'mkdir /tmp/x; echo rc=$?; grep -e ^Seccomp: -e ^CapEff: -e ^NoNewPrivs: /proc/self/status' </dev/null 2>&1)
    assert_contains "$out" "rc=1" "$keep: mkdir denied"
    assert_contains "$out" "Operation not permitted" "$keep: EPERM"
    assert_contains "$out" "NoNewPrivs:	0" "$keep: no_new_privs stays off"
    echo "$out" | grep -q '^Seccomp:	2' || fail "$keep: no seccomp filter inside: $out"
    eff=$(echo "$out" | awk '/^CapEff:/ {print $2}')
    (( (16#$eff >> 21) & 1 )) && fail "$keep: CAP_SYS_ADMIN still effective: $eff"
done
exit 0
