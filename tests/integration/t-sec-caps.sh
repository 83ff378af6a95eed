# lxc.cap.drop / lxc.cap.keep, seen from inside the container's init.
. "$(dirname "$0")/lib.sh"
need_root
need_cmd cnt-start

# Print a capability mask line of init's status, e.g. "CapBnd: 000001ffffffffff".
caps_of() { # NAME FIELD
    cnt-start -P "$LXCPATH" -n "$1" -F -- grep "^$2:" /proc/self/status </dev/null 2>&1
}
has_bit() { (( (16#$1 >> $2) & 1 )); }

n=c$$
mk_busybox "$n" "lxc.cap.drop = sys_module mknod" "lxc.cap.drop = sys_time"
out=$(caps_of "$n" CapBnd)
assert_contains "$out" "CapBnd:" "CapBnd line"
bnd=$(echo "$out" | awk '{print $2}')
has_bit "$bnd" 16 && fail "sys_module still in the bounding set: $bnd"
has_bit "$bnd" 27 && fail "mknod still in the bounding set: $bnd"
has_bit "$bnd" 25 && fail "sys_time still in the bounding set: $bnd"
has_bit "$bnd" 21 || fail "sys_admin was dropped too: $bnd"
eff=$(caps_of "$n" CapEff | awk '{print $2}')
has_bit "$eff" 27 && fail "mknod still effective: $eff"
# What the dropped cap guards fails inside.
out=$(cnt-start -P "$LXCPATH" -n "$n" -F -- sh -c 'mknod /tmp/null c 1 3; echo rc=$?' </dev/null 2>&1)
assert_contains "$out" "rc=1" "mknod without CAP_MKNOD"

k=k$$
mk_busybox "$k" "lxc.cap.keep = none"
assert_contains "$(caps_of "$k" CapBnd)" "0000000000000000" "keep = none: empty bounding set"
assert_contains "$(caps_of "$k" CapEff)" "0000000000000000" "keep = none: no effective caps"
out=$(cnt-start -P "$LXCPATH" -n "$k" -F -- sh -c 'hostname other; echo rc=$?' </dev/null 2>&1)
assert_contains "$out" "rc=1" "sethostname without CAP_SYS_ADMIN"

s=s$$
mk_busybox "$s" "lxc.cap.keep = sys_admin chown"
assert_contains "$(caps_of "$s" CapBnd)" "0000000000200001" "keep = sys_admin chown"
exit 0
