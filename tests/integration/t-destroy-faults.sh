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

# Any earlier unlinkat failing (a file of the rootfs, the destroying marker, the config) keeps
# the container defined, listed and destroyable; while the marker is there (all but the last
# of these), cnt-start refuses it.
for k in 1 $((K / 2)) $((K - 2)) $((K - 1)); do
    expect_rc 0 cnt-destroy -n $N
    expect_rc 0 cnt-create -n $N -t busybox
    expect_rc 1 strace -qq -o /dev/null -e trace=unlinkat -e inject=unlinkat:error=EIO:when=$k \
        cnt-destroy -n $N
    assert_contains "$OUT" "Input/output error"
    [ -f "$LXCPATH/$N/config" ] || fail "unlinkat #$k failed but the config is gone"
    if [ $k != $((K - 1)) ]; then
        [ -e "$LXCPATH/$N/destroying" ] || fail "unlinkat #$k failed but the marker is gone"
        expect_rc 1 cnt-start -n $N
        assert_contains "$OUT" "run cnt-destroy again"
    fi
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
