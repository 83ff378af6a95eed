# The per-lxcpath run dir (<rundir>/<hash of lxcpath>/, holding one directory per container and
# an "lxcpath" note) goes away with the last container directory in it, so destroyed
# containers leave no stray run dirs; and cnt-info --run-dir prints store::Paths::run_dir.
. "$(dirname "$0")/lib.sh"
need_root

for n in a$$ b$$; do mkdir -p "$LXCPATH/$n" && : > "$LXCPATH/$n/config"; done
A=$(cnt-info -P "$LXCPATH" -n a$$ --run-dir) || fail "cnt-info --run-dir"
B=$(cnt-info -P "$LXCPATH" -n b$$ --run-dir)
base=$(sed -n 's/^rundir = //p' "$CNT_CONF")
parent=${A%/a$$}
assert_eq "$(dirname "$parent")" "$base" "run dir below the configured rundir"
assert_eq "${B%/b$$}" "$parent" "one run dir per lxcpath"
[ ! -e "$parent" ] || fail "cnt-info --run-dir created $parent"

# A tool taking the lock (cnt-stop of a stopped container) makes both directories.
expect_rc 2 cnt-stop -P "$LXCPATH" -n a$$
expect_rc 2 cnt-stop -P "$LXCPATH" -n b$$
[ -d "$A" ] && [ -d "$B" ] || fail "no run dirs after cnt-stop"
assert_eq "$(cat "$parent/lxcpath")" "$LXCPATH" "the lxcpath note"

# Destroying one keeps the parent (the other container is still in it) with its note.
expect_rc 0 cnt-destroy -P "$LXCPATH" -n a$$ -f
[ ! -e "$A" ] || fail "run dir of a destroyed container left"
assert_eq "$(cat "$parent/lxcpath")" "$LXCPATH" "the lxcpath note after the first destroy"
# Destroying the last one removes the per-lxcpath dir.
expect_rc 0 cnt-destroy -P "$LXCPATH" -n b$$ -f
[ ! -e "$parent" ] || fail "stray run dir left: $(ls -A "$parent" | tr '\n' ' ')"

# Tools given an unknown name make nothing.
for t in "cnt-start -d" "cnt-stop -k" "cnt-destroy -f"; do
    $t -P "$LXCPATH" -n nosuch$$ >/dev/null 2>&1 && fail "$t of an unknown container succeeded"
    [ ! -e "$parent" ] || fail "$t of an unknown container made $(ls -AR "$parent" | tr '\n' ' ')"
done

# The next tool makes it again.
mkdir -p "$LXCPATH/c$$" && : > "$LXCPATH/c$$/config"
expect_rc 2 cnt-stop -P "$LXCPATH" -n c$$
[ -f "$parent/lxcpath" ] || fail "the lxcpath note was not made again"
exit 0
