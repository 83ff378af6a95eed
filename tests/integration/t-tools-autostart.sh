# cnt-autostart: selection by lxc.start.auto / lxc.group, order, delay, reverse on stop,
# failures named; the boot units' commands.
. "$(dirname "$0")/lib.sh"
P=(-P "$LXCPATH")

define a$$ "lxc.start.auto = 1" "lxc.start.order = 20"
define b$$ "lxc.start.auto = 1" "lxc.start.order = 10" "lxc.start.delay = 1"
define c$$ "lxc.start.auto = 1" "lxc.group = onboot" "lxc.start.order = 99"
define d$$ "lxc.start.auto = 0"
define e$$ "lxc.start.auto = 1" "lxc.group = web"

# Default: the NULL group only, by order (lower first), with delays.
expect_rc 0 cnt-autostart "${P[@]}" -L
assert_eq "$OUT" "$(printf '%s\n' "b$$ 1" "a$$ 0")"
# Boot order: onboot first, then the NULL group.
expect_rc 0 cnt-autostart "${P[@]}" -L -g onboot,
assert_eq "$OUT" "$(printf '%s\n' "c$$ 0" "b$$ 1" "a$$ 0")"
expect_rc 0 cnt-autostart "${P[@]}" -L -g web -g ''
assert_eq "$OUT" "$(printf '%s\n' "e$$ 0" "b$$ 1" "a$$ 0")"
# -a: every group; -A: also lxc.start.auto = 0.
expect_rc 0 cnt-autostart "${P[@]}" -L -a
assert_eq "$(echo "$OUT" | cut -d' ' -f1 | tr '\n' ' ')" "e$$ b$$ a$$ c$$ "
expect_rc 0 cnt-autostart "${P[@]}" -L -a -A
assert_contains "$OUT" "d$$"
# Stopping goes in reverse order.
expect_rc 0 cnt-autostart "${P[@]}" -L -s -g onboot,
assert_eq "$OUT" "$(printf '%s\n' "a$$" "b$$" "c$$")"
# A broken config is named and makes the exit status non-zero.
mkdir -p "$LXCPATH/bad$$" && echo "lxc.no.such.key = 1" > "$LXCPATH/bad$$/config"
expect_rc 1 cnt-autostart "${P[@]}" -L
assert_contains "$OUT" "bad$$"
rm -rf "$LXCPATH/bad$$"

# Real starts need the runtime and a rootfs.
need_root
for n in a$$ b$$ c$$ e$$; do
    cnt-destroy "${P[@]}" -n $n -f >/dev/null 2>&1; rm -rf "$LXCPATH/$n"
done
rm -rf "$LXCPATH/d$$"
for n in one$$ two$$; do
    cnt-create "${P[@]}" -n $n -t busybox -q >/dev/null 2>&1 || skip "cnt-create -t busybox failed"
    cleanup_container $n
done
echo "lxc.start.auto = 1" >> "$LXCPATH/one$$/config"
echo "lxc.start.order = 2" >> "$LXCPATH/one$$/config"
echo "lxc.start.auto = 1" >> "$LXCPATH/two$$/config"
echo "lxc.start.order = 1" >> "$LXCPATH/two$$/config"
echo "lxc.start.delay = 1" >> "$LXCPATH/two$$/config"

# The unit's ExecStart, as systemd would run it (default lxcpath from $CNT_CONF).
start_cmd=$(sed -n 's/^ExecStart=@BINDIR@\///p' "$TOP/config/cnt.service")
stop_cmd=$(sed -n 's/^ExecStop=@BINDIR@\///p' "$TOP/config/cnt.service")
cnt-monitor "${P[@]}" > "$T_DIR/events" 2>&1 &
mon=$!
on_exit "kill $mon"
sleep 0.3
expect_rc 0 $start_cmd
expect_rc 0 cnt-wait "${P[@]}" -n one$$ -s RUNNING -t 10
expect_rc 0 cnt-wait "${P[@]}" -n two$$ -s RUNNING -t 10
# two (order 1) before one (order 2): seen in the order the monitor saw them run.
first=$(grep -F "changed state to [RUNNING]" "$T_DIR/events" | head -1)
assert_contains "$first" "two$$"
expect_rc 0 $stop_cmd
expect_rc 0 cnt-wait "${P[@]}" -n one$$ -s STOPPED -t 10
expect_rc 0 cnt-wait "${P[@]}" -n two$$ -s STOPPED -t 10
# The sysv script does the same.
export CNT_BINDIR="$TOP/bin"
expect_rc 0 sh "$TOP/config/cnt.init" start
expect_rc 0 cnt-wait "${P[@]}" -n one$$ -s RUNNING -t 10
expect_rc 0 sh "$TOP/config/cnt.init" status
expect_rc 0 sh "$TOP/config/cnt.init" stop
expect_rc 3 sh "$TOP/config/cnt.init" status
# cnt@.service: one container.
at_start=$(sed -n 's/^ExecStart=@BINDIR@\///p' "$TOP/config/cnt@.service" | sed "s/%i/one$$/")
at_stop=$(sed -n 's/^ExecStop=@BINDIR@\///p' "$TOP/config/cnt@.service" | sed "s/%i/one$$/")
expect_rc 0 $at_start
expect_rc 0 cnt-wait "${P[@]}" -n one$$ -s RUNNING -t 0
expect_rc 0 $at_stop
expect_rc 0 cnt-wait "${P[@]}" -n one$$ -s STOPPED -t 10
