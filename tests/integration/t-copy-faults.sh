# cnt-copy under injected failures (strace -e inject): a copy failing half way leaves no
# container; when its cleanup fails too, a half-made one marked `partial` that the next
# cnt-destroy removes. The source is never touched.
. "$(dirname "$0")/lib.sh"
need_root
need_cmd strace
S=cp-fsrc$$ N=cp-fnew$$
expect_rc 0 cnt-create -n $S -t busybox -q
cleanup_container $S
cleanup_container $N
sum_src() { (cd "$LXCPATH/$S" && find . -printf '%p %m %U %s\n' | sort | md5sum); }
before=$(sum_src)

# Failing data copy (the 30th copy_file_range), directory creation and symlink, in turn.
for inject in copy_file_range:error=ENOSPC:when=3 mkdirat:error=EIO:when=5 \
              symlinkat:error=ENOSPC:when=100; do
    expect_rc 1 strace -qq -o /dev/null -e trace=${inject%%:*} -e inject=$inject cnt-copy -n $S -N $N
    [ ! -e "$LXCPATH/$N" ] || fail "failed copy ($inject) left $(ls -A "$LXCPATH/$N")"
done
# A failing snapshot clone: its upper layer cannot be made.
expect_rc 1 strace -qq -o /dev/null -e trace=mkdir -e inject=mkdir:error=EIO:when=5 \
    cnt-copy -n $S -N $N -s
[ ! -e "$LXCPATH/$N" ] || fail "failed snapshot left $(ls -A "$LXCPATH/$N")"

# The copy fails and so does the first unlinkat of its cleanup: marked half-made.
expect_rc 1 strace -qq -o /dev/null -e trace=copy_file_range,unlinkat \
    -e inject=copy_file_range:error=ENOSPC:when=3 -e inject=unlinkat:error=EIO:when=1 \
    cnt-copy -n $S -N $N
assert_contains "$OUT" "marked half-created"
[ -e "$LXCPATH/$N/partial" ] || fail "half-made copy without its partial marker"
expect_rc 0 cnt-destroy -n $N
[ ! -e "$LXCPATH/$N" ] || fail "cnt-destroy left the half-made copy"

assert_eq "$(sum_src)" "$before" "source unchanged by failed copies"
# And a copy that is not disturbed works.
expect_rc 0 cnt-copy -n $S -N $N
expect_rc 0 cnt-destroy -n $N
expect_rc 0 cnt-destroy -n $S
echo "PASS: $T_NAME"
