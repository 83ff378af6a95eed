# cnt-attach takes the container's credentials and restrictions: uid/gid 0 of the container
# (or -u/-g), no supplementary groups, init's bounding set (and no capability beyond it),
# NoNewPrivs and seccomp filter. In
# an idmapped container the payload a container root planted as /bin/sh, run by `cnt-attach`
# without a command, cannot write the host's core_pattern.
. "$(dirname "$0")/../integration/lib.sh"
need_root
need_cmd cc
PROFILE="$TOP/tests/security/attach.seccomp"
core=$(cat /proc/sys/kernel/core_pattern)
# Whatever happens, the host's core_pattern comes back.
on_exit "printf '%s\n' '$core' > /proc/sys/kernel/core_pattern"
field() { sed -n "s/^$1:[[:space:]]*//p" <<<"$2" | tr -s '\t ' ' '; }

names=()
for k in $(sec_kinds); do
    n="c$$$k"; names+=("$n")
    sec_container "$n" "$k" "lxc.no_new_privs = 1" "lxc.seccomp.profile = $PROFILE"
    before=$(sec_host_state)
    init=$(cnt-info -P "$LXCPATH" -n "$n" -p -H)
    want=$(cat "/proc/$init/status")
    assert_eq "$(field Seccomp "$want")" "2" "$k: init has the filter"
    assert_eq "$(field NoNewPrivs "$want")" "1" "$k: init has no_new_privs"

    sec_in "$n" cat /proc/self/status
    [ "$RC" = 0 ] || fail "$k: attach failed: $OUT"
    assert_eq "$(field Uid "$OUT")" "0 0 0 0" "$k: uid of the container's root"
    assert_eq "$(field Gid "$OUT")" "0 0 0 0" "$k: gid of the container's root"
    assert_eq "$(field Groups "$OUT")" "" "$k: no supplementary groups"
    assert_eq "$(field CapBnd "$OUT")" "$(field CapBnd "$want")" "$k: init's bounding set"
    assert_eq "$(field CapEff "$OUT")" "$(field CapBnd "$want")" "$k: capabilities within init's bounding set"
    assert_eq "$(field NoNewPrivs "$OUT")" "1" "$k: no_new_privs"
    assert_eq "$(field Seccomp "$OUT")" "2" "$k: seccomp filter"
    OUT=$(cnt-attach -P "$LXCPATH" -n "$n" -u 1000 -g 1000 -- cat /proc/self/status 2>&1) || fail "$k: -u/-g: $OUT"
    assert_eq "$(field Uid "$OUT")" "1000 1000 1000 1000" "$k: -u"
    assert_eq "$(field Gid "$OUT")" "1000 1000 1000 1000" "$k: -g"
    assert_eq "$(field Groups "$OUT")" "" "$k: -u: no supplementary groups"
    assert_eq "$(field Seccomp "$OUT")" "2" "$k: -u: seccomp filter"

    # Joining a user namespace gives the full bounding set in it (the kernel's rule for setns).
    ours=$(field CapBnd "$(cat /proc/self/status)")
    [ "$k" = idmap ] && ours=$(printf '%016x' $(( (1 << ($(cat /proc/sys/kernel/cap_last_cap) + 1)) - 1 )))
    # -e keeps the caller's privileges, as lxc-attach: no filter, no no_new_privs, full set.
    OUT=$(cnt-attach -P "$LXCPATH" -n "$n" -e -- cat /proc/self/status 2>&1) || fail "$k: -e: $OUT"
    assert_eq "$(field Seccomp "$OUT")" "0" "$k: -e: no filter"
    assert_eq "$(field NoNewPrivs "$OUT")" "0" "$k: -e: no no_new_privs"
    assert_eq "$(field CapBnd "$OUT")" "$ours" "$k: -e: our bounding set"
    OUT=$(cnt-attach -P "$LXCPATH" -n "$n" -eCAP -- cat /proc/self/status 2>&1) || fail "$k: -eCAP: $OUT"
    assert_eq "$(field Seccomp "$OUT")" "2" "$k: -eCAP keeps the filter"
    assert_eq "$(field CapBnd "$OUT")" "$ours" "$k: -eCAP: our bounding set"
    expect_rc 1 cnt-attach -P "$LXCPATH" -n "$n" --elevated-privileges=BOGUS -- true

    if [ "$k" = idmap ]; then
        # The container's root plants a shell that tries to reach the host's core_pattern
        # (its own /proc/sys mount is its to undo); the admin attaches without a command.
        rootfs="$LXCPATH/$n/rootfs"
        rm -f "$rootfs/bin/sh"
        cat > "$rootfs/bin/sh" <<'SH'
#!/bin/busybox sh
/bin/busybox umount -l /proc/sys 2>/dev/null
/bin/busybox mount -o remount,rw /proc/sys 2>/dev/null
if echo '|/tmp/cnt-escape-core %p' > /proc/sys/kernel/core_pattern; then echo ESCAPED; else echo DENIED; fi
SH
        chmod 755 "$rootfs/bin/sh"
        chown "$SEC_IDMAP_BASE:$SEC_IDMAP_BASE" "$rootfs/bin/sh"
        OUT=$(cnt-attach -P "$LXCPATH" -n "$n" </dev/null 2>&1)
        assert_contains "$OUT" "DENIED" "$k: the planted shell ran and was refused"
        assert_eq "$(cat /proc/sys/kernel/core_pattern)" "$core" "$k: core_pattern unchanged"
    fi
    assert_eq "$(sec_host_state)" "$before" "$k: host state changed"
done
sec_end "${names[@]}"
exit 0
