#!/usr/bin/env bash
# bin/cnt-bench (issue #7): cases from the command line and a case file, the report's columns,
# "not available" and failing cases, untimed setup/teardown, {i} in sequential runs.
. "$(dirname "$0")/lib.sh"
[ -x "$TOP/bin/cnt-bench" ] || skip "bin/cnt-bench not built (make bin/cnt-bench)"

expect_rc 0 cnt-bench --runs 3 --case floor -- /bin/true --case two -- /bin/sh -c true
assert_contains "$OUT" "kernel:" "environment printed"
assert_contains "$OUT" "cgroups:" "cgroup layout printed"
assert_contains "$OUT" "median ms" "table header"
line=$(printf '%s\n' "$OUT" | grep '^floor ')
assert_contains "$line" " 3 " "three samples of the floor"
assert_contains "$line" "1.00" "the floor is 1.00x itself"

# A missing program and a failing command are reported; the other cases still run; exit 1.
expect_rc 1 cnt-bench --runs 2 --no-env --case ok -- /bin/true --case gone -- cnt-no-such-tool \
    --case bad -- /bin/sh -c 'echo broken >&2; exit 4'
assert_contains "$OUT" "not available (cnt-no-such-tool not found)"
assert_contains "$OUT" "exit 4: broken"
assert_contains "$(printf '%s\n' "$OUT" | grep '^ok ')" " 2 " "the good case ran twice"
assert_not_contains "$OUT" "kernel:" "--no-env"

# Setup and teardown run around every sample, {i} is the run index (no warm-up in sequence).
mark="$T_DIR/marks"
expect_rc 0 cnt-bench --runs 4 --sequential --no-env --floor - \
    --case seq --setup "echo s{i} >> '$mark'" --teardown "echo t{i} >> '$mark'" -- /bin/true
assert_eq "$(tr '\n' ' ' < "$mark")" "s0 t0 s1 t1 s2 t2 s3 t3 " "setup/teardown order and {i}"
assert_contains "$OUT" "first/last quarter" "trend shown for {i} cases"

# Interleaved with the floor, a counting case shows its ratio to the floor in each quarter,
# and every case its CPU time (the command and what it waited for: sh's child here).
expect_rc 0 cnt-bench --runs 8 --warmup 0 --no-env --case floor -- /bin/true \
    --case idx -- /bin/sh -c 'n={i}; /bin/true $n'
assert_contains "$(printf '%s\n' "$OUT" | grep '^floor ')" "first/last quarter" "the floor's own trend"
assert_contains "$(printf '%s\n' "$OUT" | grep '^idx ')" "(x floor " "per-quarter ratio to the floor"
assert_contains "$OUT" "cpu ms" "CPU column"
cpu=$(printf '%s\n' "$OUT" | awk '$1 == "idx" {print $7}')
awk -v c="$cpu" 'BEGIN { exit !(c > 0) }' || fail "CPU time of sh + true is $cpu ms"

# --gap: a quiet spell before each sample, outside the timing (3 samples + 1 warm-up).
t0=$(date +%s%N)
expect_rc 0 cnt-bench --runs 3 --gap 200 --case quiet -- /bin/true
t1=$(date +%s%N)
assert_contains "$OUT" "200 ms quiet before each sample" "the gap is in the method line"
[ $(( (t1 - t0) / 1000000 )) -ge 800 ] || fail "--gap 200: 4 samples took under 800 ms"
med=$(printf '%s\n' "$OUT" | awk '$1 == "quiet" {print $3}')
awk -v m="$med" 'BEGIN { exit !(m < 150) }' || fail "--gap: the gap is timed (median $med ms)"
expect_rc 2 cnt-bench --runs 1 --gap -5 --case x -- /bin/true
assert_contains "$OUT" "bad --gap: -5"

# Case file: quoting without a shell.
cat > "$T_DIR/c.cases" <<CASES
# comment
[quoted]
run = /bin/sh -c 'test "\$0" = "a b"' "a b"
CASES
expect_rc 0 cnt-bench --runs 2 --no-env --file "$T_DIR/c.cases"
assert_contains "$OUT" "quoted"
expect_rc 2 cnt-bench --runs 2 --case x
assert_contains "$OUT" "has no command"
exit 0
