# A sample of the fault-injection tier (tests/faults/run, all of it: make check-faults): every
# 41st point of every operation (start -d and -F, stop, attach, freeze, create, destroy), each a
# system call failing once under strace. No point may leak or exit 0 without the operation done.
. "$(dirname "$0")/lib.sh"
need_root
need_cmd strace
export FLT_LOG="$T_DIR/faults.log"
out=$("$TOP/tests/faults/run" -s ${FLT_SAMPLE:-41} 2>&1); rc=$?
echo "$out"
[ $rc = 77 ] && skip "$(printf '%s\n' "$out" | grep '^SKIP' | tail -1)"
[ $rc = 0 ] || fail "fault injection sample: $(cat "$FLT_LOG")"
