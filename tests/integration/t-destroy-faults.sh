# cnt-destroy under injected system-call failures (strace -e inject): whatever fails, the
# container stays manageable. A failed last rmdir leaves an empty directory that cnt-destroy
# and cnt-create then handle; an I/O error looking for the config is reported as such.
. "$(dirname "$0")/lib.sh"
need_root
need_cmd strace
N=crash-df$$
cleanup_container $N

# The index of the unlinkat(2) that removes the container's directory itself, from a clean run.
expect_rc 0 cnt-create -n $N -t busybox
strace -qq -o "$T_DIR/trace" -e trace=unlinkat cnt-destroy -n $N >/dev/null 2>&1 ||
    fail "cnt-destroy under strace failed"
K=$(grep -n "\"$N\", AT_REMOVEDIR" "$T_DIR/trace" | head -1 | cut -d: -f1)
[ -n "$K" ] || fail "no rmdir of the container directory in the trace"

# The last rmdir fails: a clear error, then cnt-destroy again finishes.
expect_rc 0 cnt-create -n $N -t busybox
expect_rc 1 strace -qq -o /dev/null -e trace=unlinkat -e inject=unlinkat:error=EIO:when=$K \
    cnt-destroy -n $N
assert_contains "$OUT" "Input/output error"
assert_contains "$OUT" "cnt-destroy again removes it"
[ -d "$LXCPATH/$N" ] || fail "the injected rmdir did not fail"
expect_rc 0 cnt-destroy -n $N
[ ! -e "$LXCPATH/$N" ] || fail "second cnt-destroy left the directory"

# The same, then cnt-create of the same name works at once.
expect_rc 0 cnt-create -n $N -t busybox
expect_rc 1 strace -qq -o /dev/null -e trace=unlinkat -e inject=unlinkat:error=EIO:when=$K \
    cnt-destroy -n $N
expect_rc 0 cnt-create -n $N -t busybox
expect_rc 0 cnt-ls -1
assert_contains "$OUT" "$N"

# The one before it (the destroying marker, after the config) fails: the container is gone,
# and cnt-create of the name works at once (the marker goes with the directory).
expect_rc 0 cnt-destroy -n $N
expect_rc 0 cnt-create -n $N -t busybox
expect_rc 1 strace -qq -o /dev/null -e trace=unlinkat -e inject=unlinkat:error=EIO:when=$((K - 1)) \
    cnt-destroy -n $N
assert_contains "$OUT" "cnt-destroy again removes it"
[ -e "$LXCPATH/$N/destroying" ] || fail "the injected unlinkat was not the marker's"
expect_rc 0 cnt-create -n $N -t busybox

# Any earlier unlinkat failing (a file of the rootfs, the config) keeps the container defined,
# listed and destroyable, and not startable until a destroy finishes.
for k in 1 $((K / 2)) $((K - 2)); do
    expect_rc 0 cnt-destroy -n $N
    expect_rc 0 cnt-create -n $N -t busybox
    expect_rc 1 strace -qq -o /dev/null -e trace=unlinkat -e inject=unlinkat:error=EIO:when=$k \
        cnt-destroy -n $N
    assert_contains "$OUT" "Input/output error"
    [ -f "$LXCPATH/$N/config" ] || fail "unlinkat #$k failed but the config is gone"
    expect_rc 1 cnt-start -n $N
    assert_contains "$OUT" "run cnt-destroy again"
    expect_rc 0 cnt-ls -1
    assert_contains "$OUT" "$N" "listed after unlinkat #$k failed"
done
expect_rc 0 cnt-destroy -n $N
expect_rc 0 cnt-create -n $N -t busybox

# stat(config) failing is an I/O error naming the file, not "not defined".
CFG=$LXCPATH/$N/config
for when in 1 2; do
    expect_rc 1 strace -qq -o /dev/null -P "$CFG" -e trace=newfstatat,statx,stat \
        -e inject=newfstatat,statx,stat:error=EIO:when=$when cnt-destroy -n $N
    assert_contains "$OUT" "\"$CFG\": Input/output error"
    assert_not_contains "$OUT" "not defined"
    [ -f "$CFG" ] || fail "config gone after a failed stat"
done
expect_rc 0 cnt-destroy -n $N
[ ! -e "$LXCPATH/$N" ] || fail "container dir left"
echo "ok: $T_NAME"
