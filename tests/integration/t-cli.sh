# Common options of every tool: --help, --version, missing name, bad option.
. "$(dirname "$0")/lib.sh"
# The user-facing tools: the TOOLS lines of the Makefile (not cnt-bench, not cnt-init).
tools=$(sed -n 's/^TOOLS *+\?= *//p' "$TOP/Makefile")
[ -n "$tools" ] || fail "no TOOLS in the Makefile"
for t in $tools; do
    expect_rc 0 "$t" --help
    assert_contains "$OUT" "Usage: $t"
    expect_rc 0 "$t" --version
done
expect_rc 1 cnt-info
assert_contains "$OUT" "No container name specified"
expect_rc 1 cnt-info -n x --no-such-option
expect_rc 1 cnt-info -n nosuch
assert_contains "$OUT" "nosuch doesn't exist"
expect_rc 1 cnt-info -n x -P /a -P /b
assert_contains "$OUT" "only accepts 1 -P"
