# An idmapped container from the default config (cnt-create -t busybox, lxc.idmap, the rootfs
# shifted onto the range): it starts, its root is host uid SEC_IDMAP_BASE, and its console, ttys
# and devpts belong to that root, so init and a getty can open them.
. "$(dirname "$0")/lib.sh"
need_root
need_cmd mkfifo
n=c$$
sec_container "$n" idmap
expect_rc 0 cnt-attach -P "$LXCPATH" -n "$n" -u 0 -g 0 -- cat /proc/self/uid_map
assert_eq "$(echo $OUT)" "0 $SEC_IDMAP_BASE 65536" "uid map seen inside"
# Inside: the console and tty1 are the container root's (the gettys on them may then set their
# group and mode), and so is its devpts.
expect_rc 0 cnt-attach -P "$LXCPATH" -n "$n" -u 0 -g 0 -- sh -c \
    'stat -c "%u %t" /dev/console /dev/tty1; stat -c %u /dev/pts/ptmx'
assert_eq "$OUT" "0 88
0 88
0" "owners of the console, tty1 and devpts inside"
# On the host that owner is the mapped root.
init=$(cnt-info -P "$LXCPATH" -n "$n" -p -H)
assert_eq "$(stat -L -c %u /proc/"$init"/fd/0)" "$SEC_IDMAP_BASE" "init's console on the host"
# A file the container's root makes belongs to the range's first uid on the host.
expect_rc 0 cnt-attach -P "$LXCPATH" -n "$n" -u 0 -g 0 -- touch /made-inside
assert_eq "$(stat -c '%u %g' "$LXCPATH/$n/rootfs/made-inside")" "$SEC_IDMAP_BASE $SEC_IDMAP_BASE"
# The console works: a getty runs on it and cnt-console reaches it.
mkfifo "$T_DIR/in"
cnt-console -P "$LXCPATH" -n "$n" -t 0 <"$T_DIR/in" >"$T_DIR/out" 2>&1 &
cpid=$!
on_exit "kill $cpid"
exec 9>"$T_DIR/in"
echo >&9
wait_for grep -q "login:" "$T_DIR/out" || fail "no login prompt on the console: $(cat "$T_DIR/out")"
printf '\001q' >&9
wait "$cpid"
exec 9>&-
sec_end "$n"
exit 0
