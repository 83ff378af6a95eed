# The container's root races every `cnt-attach` with ptrace (PTRACE_SEIZE, PTRACE_ATTACH) and
# opens of /proc/PID/mem: in an idmapped container it never gets hold of a cnt process before
# that process executes the command (non-dumpable); in a privileged one, whose root holds
# CAP_SYS_PTRACE over the host, whatever it gets hold of already has no more than the
# container's own privileges (uid, bounding set and capabilities, no_new_privs, filter). After the exec the
# payload is the container's to trace, which shows the racer works.
. "$(dirname "$0")/../integration/lib.sh"
need_root
need_cmd cc
PROFILE="$TOP/tests/security/attach.seccomp"
field() { sed -n "s/^$1:[[:space:]]*//p" <<<"$2" | tr -s '\t ' ' '; }

names=()
for k in $(sec_kinds); do
    n="c$$$k"; names+=("$n")
    sec_container "$n" "$k" "lxc.no_new_privs = 1" "lxc.seccomp.profile = $PROFILE"
    sec_exploit ptrace_racer "$n"
    out="$LXCPATH/$n/rootfs/racer.out"
    init=$(cnt-info -P "$LXCPATH" -n "$n" -p -H)
    bnd=$(field CapBnd "$(cat /proc/$init/status)")
    before=$(sec_host_state)
    sec_in "$n" /bin/ptrace_racer 8 /racer.out
    [ "$RC" = 0 ] || fail "$k: starting the racer: $OUT"
    for _ in $(seq 50); do grep -q READY "$out" 2>/dev/null && break; sleep 0.1; done
    grep -q READY "$out" || fail "$k: the racer did not start"
    # Attaches until the racer is done (8 s): each one is a new process to race.
    tries=0
    until grep -q '^DONE' "$out"; do
        timeout 20 cnt-attach -P "$LXCPATH" -n "$n" -- sleep 0.05 || fail "$k: attach failed during the race"
        tries=$((tries + 1))
        [ $tries -lt 2000 ] || fail "$k: the racer never finished"
    done
    grep -q '^DONE .*others=[1-9]' "$out" || fail "$k: the racer traced no payload: $(tail -1 "$out")"
    if [ "$k" = idmap ]; then
        ! grep -q '^CNT' "$out" || fail "$k: a cnt process was taken before its exec: $(grep '^CNT' "$out" | head -3)"
    else
        # Anything taken had the container's privileges only.
        while IFS= read -r l; do
            assert_contains "$l" "Uid:	0	0	0	0" "$k: pre-exec process not the container's root"
            assert_contains "$l" "CapBnd:	$bnd" "$k: pre-exec process with more than init's bounding set"
            assert_contains "$l" "CapEff:	$bnd" "$k: pre-exec process with capabilities beyond init's bounding set"
            assert_contains "$l" "NoNewPrivs:	1" "$k: pre-exec process without no_new_privs"
            assert_contains "$l" "Seccomp:	2" "$k: pre-exec process without the filter"
        done < <(grep '^CNT' "$out")
    fi
    echo "$k: $tries attaches raced, $(grep -c '^CNT' "$out") pre-exec takes; $(tail -1 "$out")"
    assert_eq "$(sec_host_state)" "$before" "$k: host state changed"
done
sec_end "${names[@]}"
exit 0
