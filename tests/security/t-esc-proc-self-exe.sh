# CVE-2019-5736 against cnt-attach: the container's root makes /bin/sh a `#!/proc/self/exe`
# script, so the admin's `cnt-attach` (no command: the login shell) executes its own binary
# inside the container; the exploit takes that binary through /proc/PID/exe and tries to
# write it. cnt-attach runs from a sealed memfd copy: the write fails and the binary on disk is
# unchanged. The attack runs against a copy of bin/, so a failure cannot damage the build.
. "$(dirname "$0")/../integration/lib.sh"
need_root
need_cmd cc
COPY="$T_DIR/bin"
mkdir -p "$COPY"
cp -a "$TOP"/bin/cnt-* "$COPY/"
sum=$(md5sum < "$COPY/cnt-attach")

names=()
for k in $(sec_kinds); do
    n="c$$$k"; names+=("$n")
    sec_container "$n" "$k"
    sec_exploit cve_2019_5736 "$n"
    out="$LXCPATH/$n/rootfs/cve.out"
    before=$(sec_host_state)
    sec_in "$n" /bin/cve_2019_5736 10 /cve.out
    [ "$RC" = 0 ] || fail "$k: starting the exploit: $OUT"
    for _ in $(seq 50); do grep -q READY "$out" 2>/dev/null && break; sleep 0.1; done
    grep -q READY "$out" || fail "$k: the exploit did not start"
    # The admin attaches; the planted shell makes cnt-attach run itself in the container, for
    # a few milliseconds: again until the exploit has caught one (or gave up).
    for _ in $(seq 200); do
        grep -q 'PWNED\|FAILED\|NOTSEEN' "$out" && break
        grep -q 'READY' "$out" && [ "$(wc -l < "$out")" = 1 ] &&
            "$COPY/cnt-attach" -P "$LXCPATH" -n "$n" </dev/null >/dev/null 2>&1
        sleep 0.05
    done
    res=$(tail -1 "$out")
    echo "$k: $res"
    assert_not_contains "$res" "PWNED" "$k: the exploit wrote the binary"
    assert_contains "$res" "FAILED" "$k: the exploit did not get to try"
    assert_contains "$res" "cnt-attach" "$k: the exploit took another binary"
    assert_eq "$(md5sum < "$COPY/cnt-attach")" "$sum" "$k: cnt-attach changed on disk"
    assert_eq "$(sec_host_state)" "$before" "$k: host state changed"
done
sec_end "${names[@]}"
exit 0
