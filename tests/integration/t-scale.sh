#!/usr/bin/env bash
# 100 containers running at once (bench/scale.sh, which `make bench-scale` runs with 500): each
# started, all listed RUNNING by cnt-ls, stopped 8 at a time in parallel, nothing left after.
. "$(dirname "$0")/lib.sh"
need_root
need_cmd busybox
[ -x "$TOP/bin/cnt-bench" ] || skip "needs bin/cnt-bench (make bin/cnt-bench)"
out=$(SCALE_N=${SCALE_N:-100} timeout 500 "$TOP/bench/scale.sh" 2>&1); rc=$?
printf '%s\n' "$out" | grep -E 'FAIL|scale:|monitors:|stops in' 
[ $rc = 0 ] || fail "bench/scale.sh exited $rc: $(printf '%s\n' "$out" | grep FAIL | head -3)"
assert_contains "$out" "nothing left"
