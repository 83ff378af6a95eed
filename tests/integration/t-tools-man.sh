# The toolbox's man pages format cleanly; every tool is in the completion and in cnt(7).
. "$(dirname "$0")/lib.sh"
need_cmd groff
for m in cnt-cgroup.1 cnt-ls.1 cnt-wait.1 cnt-execute.1 cnt-monitor.1 cnt-checkconfig.1 cnt-autostart.1 cnt-delegate.1 cnt-user-nic.1 cnt.7; do
    [ -f "$TOP/man/$m" ] || fail "missing man/$m"
    out=$(groff -man -ww -z "$TOP/man/$m" 2>&1) || fail "groff failed on $m: $out"
    assert_eq "$out" "" "groff warnings in $m"
done
bash -n "$TOP/config/bash-completion/cnt" || fail "completion script has a syntax error"
sh -n "$TOP/config/cnt.init" || fail "init script has a syntax error"
for t in $(sed -n 's/^TOOLS *+\?= *//p' "$TOP/Makefile"); do
    grep -q "$t" "$TOP/config/bash-completion/cnt" || fail "$t missing from the bash completion"
    grep -q "$t" "$TOP/man/cnt.7" || fail "$t missing from cnt(7)"
done
# Completion of container names, as bash would ask for it.
mkdir -p "$LXCPATH/web$$" && : > "$LXCPATH/web$$/config"
out=$(bash -c '. "$1"; COMP_WORDS=(cnt-info -P "$2" -n we); COMP_CWORD=4; _cnt; printf "%s\n" "${COMPREPLY[@]}"' _ \
    "$TOP/config/bash-completion/cnt" "$LXCPATH")
assert_eq "$out" "web$$" "completion of -n"
out=$(bash -c '. "$1"; COMP_WORDS=(cnt-wait -s RUN); COMP_CWORD=2; _cnt; printf "%s\n" "${COMPREPLY[@]}"' _ \
    "$TOP/config/bash-completion/cnt")
assert_eq "$out" "RUNNING" "completion of states"
