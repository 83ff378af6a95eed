# cnt-execute's init mounts nothing of the host into the rootfs: a `/.cnt-init` symlink planted
# by the container's root to a host path makes nothing there, and the init the command sees as
# /proc/1/exe is a sealed memfd copy of cnt-init that cannot be written.
. "$(dirname "$0")/../integration/lib.sh"
need_root
need_cmd cc
names=()
for k in $(sec_kinds); do
    n="c$$$k"; names+=("$n")
    sec_container "$n" "$k"
    expect_rc 0 cnt-stop -P "$LXCPATH" -n "$n" -k
    sec_exploit execute_init "$n"
    target="/tmp/cnt-escape-execute-$$-$k"
    on_exit "rm -f '$target'"
    rootfs="$LXCPATH/$n/rootfs"
    ln -s "$target" "$rootfs/.cnt-init"
    [ "$k" = idmap ] && chown -h "$SEC_IDMAP_BASE:$SEC_IDMAP_BASE" "$rootfs/.cnt-init"
    before=$(sec_host_state)
    sum=$(md5sum < "$TOP/bin/cnt-init")
    expect_rc 0 cnt-execute -P "$LXCPATH" -n "$n" -- /bin/execute_init
    echo "$k: $OUT"
    [ ! -e "$target" ] && [ ! -L "$target" ] || fail "$k: the planted /.cnt-init made $target"
    [ -L "$rootfs/.cnt-init" ] || fail "$k: the planted /.cnt-init was replaced"
    assert_contains "$OUT" "EXE /memfd:cnt-init" "$k: init is not the sealed copy"
    assert_contains "$OUT" "DENIED" "$k: pid 1's binary"
    assert_not_contains "$OUT" "WROTE" "$k: pid 1's binary was written"
    assert_eq "$(md5sum < "$TOP/bin/cnt-init")" "$sum" "$k: bin/cnt-init changed"
    assert_eq "$(sec_host_state)" "$before" "$k: host state changed"
done
sec_end "${names[@]}"
exit 0
