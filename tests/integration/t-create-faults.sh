# cnt-create under injected system-call failures (strace -e inject): a failed create leaves
# nothing, or, when its own cleanup cannot finish, a half-made container that keeps its
# `partial` marker (listed, and removed by the next cnt-destroy or cnt-create). The config is
# written durably; a failed applet link fails the busybox template.
. "$(dirname "$0")/lib.sh"
need_root
need_cmd strace
N=crash-cf$$
cleanup_container $N

# A template that fills the rootfs, then fails; cnt-create's first unlinkat (its cleanup) fails.
TPL=$T_DIR/failing-template
cat > "$TPL" <<'TEMPLATE'
#!/bin/sh
for a in "$@"; do case "$a" in --rootfs=*) r=${a#*=} ;; esac; done
mkdir -p "$r/a/b" && echo x > "$r/a/b/f" && echo y > "$r/g"
exit 3
TEMPLATE
chmod 755 "$TPL"
expect_rc 1 strace -qq -o /dev/null -e trace=unlinkat -e inject=unlinkat:error=EIO:when=1 \
    cnt-create -n $N -t "$TPL"
assert_contains "$OUT" "exited with status 3"
assert_contains "$OUT" "Input/output error"
assert_contains "$OUT" "marked half-created"
[ -e "$LXCPATH/$N/partial" ] || fail "partial marker removed although the rootfs stays"
[ -e "$LXCPATH/$N/rootfs" ] || fail "the injected unlinkat did not fail"
expect_rc 0 cnt-ls -1
assert_contains "$OUT" "$N" "half-made container listed"
expect_rc 0 cnt-destroy -n $N
[ ! -e "$LXCPATH/$N" ] || fail "cnt-destroy left the half-made container: $(ls -R "$LXCPATH/$N")"

# The same, then cnt-create of the same name removes the half-made one and succeeds.
expect_rc 1 strace -qq -o /dev/null -e trace=unlinkat -e inject=unlinkat:error=EIO:when=1 \
    cnt-create -n $N -t "$TPL"
expect_rc 0 cnt-create -n $N -t busybox
expect_rc 0 cnt-destroy -n $N

# Without injected failures, a failing template leaves nothing.
expect_rc 1 cnt-create -n $N -t "$TPL"
[ ! -e "$LXCPATH/$N" ] || fail "failed create left $LXCPATH/$N"

# A symlink of `busybox --install` failing fails the template, and nothing is left.
for when in 1 50; do
    expect_rc 1 strace -qq -f -o /dev/null -e trace=symlink -e inject=symlink:error=ENOSPC:when=$when \
        cnt-create -n $N -t busybox
    assert_contains "$OUT" "was not made"
    [ ! -e "$LXCPATH/$N" ] || fail "failed busybox install left $LXCPATH/$N"
done

# The config is durable: written to a temp file, fsync'ed, renamed, and its directory fsync'ed.
strace -qq -o "$T_DIR/trace" -e trace=openat,fsync,rename cnt-create -n $N -t none >/dev/null 2>&1 ||
    fail "cnt-create -t none under strace failed"
seq=$(awk -v cfg="$LXCPATH/$N/config" -v dir="$LXCPATH/$N" '
    /^openat/ && index($0, "\"" cfg ".tmp.") { fd = $NF; tmp = 1; next }
    /^fsync/ && tmp == 1 && index($0, "fsync(" fd ")") { print "fsync-file"; tmp = 2; next }
    /^rename/ && tmp == 2 && index($0, cfg "\"") { print "rename"; tmp = 3; next }
    /^openat/ && tmp == 3 && index($0, "\"" dir "\"") { dfd = $NF; tmp = 4; next }
    /^fsync/ && tmp == 4 && index($0, "fsync(" dfd ")") { print "fsync-dir"; tmp = 5 }
' "$T_DIR/trace" | tr '\n' ' ')
assert_eq "$seq" "fsync-file rename fsync-dir " "config write sequence"
expect_rc 0 cnt-destroy -n $N
echo "ok: $T_NAME"
