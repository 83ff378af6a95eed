# The pure cgroup2 driver for real on a hybrid host: in a private mount namespace (kept on a
# bind-mounted nsfs file so that every tool can enter it) the v1 hierarchies are unmounted and
# cgroup2 is mounted at /sys/fs/cgroup, as on a v2-only distribution. Its tree has no
# controllers here (they are bound to v1), which is the case of a v2 host whose caller got no
# delegated controllers: freeze, kill and device programs work, limits need a controller.
. "$(dirname "$0")/lib.sh"
need_root
need_cmd unshare
need_cmd nsenter
V2=$(awk '$9 == "cgroup2" {print $5; exit}' /proc/self/mountinfo)
[ -n "$V2" ] || skip "no cgroup2 mount on this host"

P=(-P "$LXCPATH")
# The callers' cgroup: a child of ours in the cgroup2 tree, so "below the caller's cgroup" is
# a real directory and not the root. Only this shell (and its children) move into it.
own=$(sed -n 's/^0:://p' /proc/self/cgroup)
CALLER="$V2${own%/}/cnt-tv2-$$"
mkdir "$CALLER" || fail "cannot make $CALLER"
on_exit "echo $$ > '$V2${own%/}/cgroup.procs'; rmdir '$CALLER'"
# (the root has no cgroup.freeze, and a fresh host may have no other directory to look at)
[ -e "$CALLER/cgroup.freeze" ] || skip "cgroup2 without cgroup.freeze (kernel < 5.2)"
echo $$ > "$CALLER/cgroup.procs" || fail "cannot enter $CALLER"
REL=${CALLER#"$V2"}          # the same cgroup as seen from /sys/fs/cgroup inside the namespace

cgroup2_only_ns
inns() { nsenter --mount="$NSD/mnt" "$@"; }
mi=$(inns cat /proc/self/mountinfo)
assert_eq "$(printf '%s\n' "$mi" | awk '$9 ~ /^cgroup/ {print $5 " " $9}')" "/sys/fs/cgroup cgroup2" \
    "cgroup mounts inside the namespace"

# new_container NAME: busybox container with the config lines on stdin appended, stopped
# inside the namespace at exit (before mk_created's cleanup destroys it).
new_container() {
    local l
    mapfile -t l
    mk_created "$1" ${l[@]+"${l[@]}"}
    on_exit "nsenter --mount='$NSD/mnt' cnt-stop -P '$LXCPATH' -n '$1' -k"
}
inside() { local n=$1; shift; inns cnt-attach "${P[@]}" -n "$n" -- "$@"; }

# --- start: the pure-v2 backend, below the caller's cgroup, nothing in v1 ---------------------
c=cgv$$
{
    # The tree offers hugetlb (no v1 hierarchy took it) and our cgroup holds processes, so by
    # default the driver escapes to the root to be able to delegate it, as LXC does; relative
    # keeps the container below its caller.
    echo "lxc.cgroup.relative = 1"
    echo "lxc.mount.auto = cgroup:rw"
    echo "lxc.cgroup2.devices.deny = a"
    printf '%s\n' "$BOOT_DEVS" | sed "s/^/lxc.cgroup2.devices.allow = /"
} > "$T_DIR/cfg.$c"
new_container $c < "$T_DIR/cfg.$c"
before=$(leftovers $c)
expect_rc 0 inns cnt-start "${P[@]}" -n $c -d
st=$(cat "$(state_file $c)")
assert_contains "$st" "cgroup.kind=v2" "driver kind in the run state"
assert_contains "$st" "cgroup.v2=/sys/fs/cgroup$REL/cnt.payload.$c" "cgroup2 directory"
assert_not_contains "$st" "cgroup.v1." "v1 directories in the run state"
[ -d "$CALLER/cnt.payload.$c" ] || fail "no $CALLER/cnt.payload.$c"
init=$(sed -n 's/^init_pid=//p' <<<"$st")
# (init lives in the inner cgroup, below the one holding the limits and device program)
assert_contains "$st" "cgroup.inner=.cnt" "inner cgroup in the run state"
assert_eq "$(sed -n 's/^0:://p' /proc/"$init"/cgroup)" "$REL/cnt.payload.$c/.cnt" "init's cgroup2 path"
grep -qx "$init" "$CALLER/cnt.payload.$c/.cnt/cgroup.procs" || fail "init not in the container's inner cgroup"
assert_eq "$(find /sys/fs/cgroup -mindepth 2 -maxdepth 8 -type d -name "cnt.payload.$c" \
    -not -path '/sys/fs/cgroup/unified/*')" "" "v1 directories made"

# --- freeze / unfreeze: a counter inside stops and goes on --------------------------------------
inside $c sh -c 'i=0; while :; do i=$((i+1)); echo $i > /cnt-count; sleep 0.02; done' >/dev/null 2>&1 &
on_exit "kill $!"
count="$LXCPATH/$c/rootfs/cnt-count"
for i in $(seq 100); do [ -s "$count" ] && break; sleep 0.05; done
[ -s "$count" ] || fail "counter did not start"
expect_rc 0 inns cnt-freeze "${P[@]}" -n $c
assert_contains "$(cat "$CALLER/cnt.payload.$c/cgroup.events")" "frozen 1"
expect_rc 0 inns cnt-info "${P[@]}" -n $c -s
assert_contains "$OUT" "FROZEN"
a=$(cat "$count"); sleep 0.3; b=$(cat "$count")
assert_eq "$b" "$a" "counter moved while frozen"
expect_rc 0 inns cnt-unfreeze "${P[@]}" -n $c
expect_rc 0 inns cnt-info "${P[@]}" -n $c -s
assert_contains "$OUT" "RUNNING"
moved=0
for i in $(seq 100); do [ "$(cat "$count")" != "$b" ] && { moved=1; break; }; sleep 0.05; done
[ $moved = 1 ] || fail "counter did not resume after unfreeze"

# --- device rules: the cgroup2 device program, seen from inside -------------------------------
expect_rc 0 inside $c sh -c 'echo x > /dev/null && cat /dev/null'
expect_rc 1 inside $c sh -c 'head -c1 /dev/zero >/dev/null'
assert_contains "$OUT" "ermitted" "/dev/zero denied inside"

# --- lxc.mount.auto = cgroup:rw on a cgroup2-only host: the container's own subtree -----------
expect_rc 0 inside $c cat /proc/self/mountinfo
assert_eq "$(awk '$5 == "/sys/fs/cgroup" {print $9}' <<<"$OUT")" "cgroup2" "/sys/fs/cgroup inside"
expect_rc 0 inside $c cat /proc/self/cgroup
# (the v1 lines stay: the kernel still has those hierarchies, only unmounted in this namespace)
assert_eq "$(grep '^0::' <<<"$OUT")" "0::/" "the container's cgroup2 path seen from inside"
expect_rc 0 inside $c cat /sys/fs/cgroup/cgroup.procs
grep -qx 1 <<<"$OUT" || fail "init (pid 1) not in the mounted tree's root: [$OUT]"
expect_rc 0 inside $c mkdir /sys/fs/cgroup/sub
[ -d "$CALLER/cnt.payload.$c/.cnt/sub" ] || fail "a cgroup made inside is not below the container's inner one"

# --- stop removes the cgroup (and what the container made below it) ---------------------------
expect_rc 0 inns cnt-stop "${P[@]}" -n $c -k
[ ! -e "$CALLER/cnt.payload.$c" ] || fail "cgroup left after stop"
assert_eq "$(leftovers $c)" "$before" "left behind by the stop"

# --- a limit needing a controller the tree does not have: a clear error, nothing left ---------
m=cgvm$$
new_container $m <<<"lxc.cgroup2.memory.max = 64M"
line=$(grep -n 'lxc.cgroup2.memory.max' "$LXCPATH/$m/config" | cut -d: -f1)
expect_rc 1 inns cnt-start "${P[@]}" -n $m -d
assert_contains "$OUT" "lxc.cgroup2.memory.max"
assert_contains "$OUT" "memory controller"
assert_contains "$OUT" ":$line"
assert_eq "$(leftovers $m)" "" "left behind by the failed start"
[ -z "$(find "$CALLER" -mindepth 1 -type d)" ] ||
    fail "directories left in the caller's cgroup: $(find "$CALLER" -mindepth 1 -type d)"
assert_eq "$(leftovers $c $m)" "" "left behind at the end"
exit 0
