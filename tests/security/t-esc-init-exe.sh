# CVE-2019-5736 at start: the container's root makes its init command a `#!/proc/self/exe`
# script. The kernel resolves that interpreter in the process that execs the script, init, a
# clone of the monitor: with init execing its command directly, the container's pid 1 became
# the host's cnt-start binary, open to the container through /proc/1/exe. init execs through
# the monitor's sealed copy of cnt-exec instead (`cnt-exec --exec`): the script finds that
# copy. Shown with `--help` as the script's argument: cnt-exec's usage, not cnt-start's. The
# same for a start hook, run inside by a fork of init through the container's /bin/sh.
. "$(dirname "$0")/../integration/lib.sh"
need_root
names=()
for k in $(sec_kinds); do
    n="c$$$k"; names+=("$n")
    sec_container "$n" "$k"
    expect_rc 0 cnt-stop -P "$LXCPATH" -n "$n" -k
    rootfs="$LXCPATH/$n/rootfs"
    printf '#!/proc/self/exe --help\n' > "$rootfs/bin/evil"
    chmod 755 "$rootfs/bin/evil"
    chown --reference="$rootfs/bin/busybox" "$rootfs/bin/evil"
    before=$(sec_host_state)
    OUT=$(timeout 30 cnt-start -P "$LXCPATH" -n "$n" -F -- /bin/evil </dev/null 2>&1)
    echo "$k: $OUT" | head -3
    assert_contains "$OUT" "usage: cnt-exec" "$k: the script's interpreter"
    assert_not_contains "$OUT" "cnt-start" "$k: the host's cnt-start ran as the container's pid 1"
    # A start hook runs inside through the container's /bin/sh, from a fork of init: the same.
    rm -f "$rootfs/bin/sh"
    cp -a "$rootfs/bin/evil" "$rootfs/bin/sh"
    echo "lxc.hook.start = /bin/anything" >> "$LXCPATH/$n/config"
    OUT=$(timeout 30 cnt-start -P "$LXCPATH" -n "$n" -F -- /bin/busybox true </dev/null 2>&1)
    assert_contains "$OUT" "usage: cnt-exec" "$k: the start hook's shell's interpreter"
    assert_not_contains "$OUT" "cnt-start" "$k: the host's cnt-start ran as a hook in the container"
    assert_eq "$(sec_host_state)" "$before" "$k: host state changed"
done
sec_end "${names[@]}"
exit 0
