# phys: a host interface moves in under its configured name and is given back under its own
# name at stop, also when the monitor was killed with SIGKILL, before cnt-stop or during it.
. "$(dirname "$0")/lib.sh"
net_host
n=c$$
H ip link add cntp$$ type veth peer name cntq$$
mk_busybox "$n" "lxc.net.0.type = phys" "lxc.net.0.link = cntp$$" "lxc.net.0.name = lan0" \
    "lxc.net.0.flags = up" "lxc.net.0.ipv4.address = 10.212.0.2/24"
for round in clean monitor-killed killed-during-stop; do
    start "$n"
    inside "$n" ip -o addr show lan0
    assert_contains "$OUT" "10.212.0.2/24"
    H ip link show cntp$$ >/dev/null 2>&1 && fail "cntp$$ still in the host while running"
    mon=$(monitor_pid "$n"); [ -n "$mon" ] || fail "no monitor in the run state"
    case $round in
    clean) stop "$n" ;;
    monitor-killed) kill -9 "$mon"; stop "$n" ;;
    killed-during-stop)
        # The monitor looks alive to cnt-stop (stopped, as one still exiting after SIGKILL
        # would), then dies without its teardown: cnt-stop gives the device back itself.
        kill -STOP "$mon"
        # Waited for below; no kill at exit (its pid is free again by then). Its own waits
        # are bounded (30 s), so it ends by itself even if this test is cut short.
        H cnt-stop -P "$LXCPATH" -n "$n" -k > "$T_DIR/stop.out" 2>&1 & sp=$!
        # Until cnt-stop has killed init (it waits for the monitor after that).
        for i in $(seq 1 100); do
            [ "$(cnt-info -P "$LXCPATH" -n "$n" -s -H 2>/dev/null)" = STOPPED ] && break
            sleep 0.05
        done
        kill -9 "$mon"
        wait $sp || fail "cnt-stop: rc=$? $(cat "$T_DIR/stop.out")"
        ;;
    esac
    H ip link show cntp$$ >/dev/null 2>&1 || fail "cntp$$ not given back ($round)"
done
