# cnt-start -F: the tool is the monitor; without a terminal the console goes to stdout.
. "$(dirname "$0")/lib.sh"
need_root
n=c$$
mk_busybox "$n" "lxc.environment = GREETING=hello there"
before=$(host_snapshot "$n")
out=$(cnt-start -P "$LXCPATH" -n "$n" -F -- echo hi </dev/null 2>&1); rc=$?
assert_eq "$rc" 0 "exit code"
assert_eq "$out" "hi" "console output"
out=$(cnt-start -P "$LXCPATH" -n "$n" -F -- sh -c 'echo "$GREETING"; hostname; echo $$' </dev/null 2>&1)
assert_eq "$out" "hello there
$n
1" "environment, hostname, pid"
# The exit code of the command is not cnt-start's (as lxc-start).
expect_rc 0 cnt-start -P "$LXCPATH" -n "$n" -F -- sh -c 'exit 5'
# Input is forwarded to the console.
out=$(printf 'echo from-stdin\nexit\n' | cnt-start -P "$LXCPATH" -n "$n" -F -- sh 2>&1)
assert_contains "$out" "from-stdin"
assert_eq "$(host_snapshot "$n")" "$before" "host state after -F"
exit 0
