#!/usr/bin/env bash
# containerd 1.6 (started here with its own root, state, socket and config; stopped at exit)
# runs containers through its runc shim with the binary pointed at cnt-oci: an image from
# `ctr image import` (an OCI archive of a busybox rootfs, no registry), run --rm with the exit
# code passed through, and a detached task: exec, ps, pause/resume, kill, delete.
. "$(dirname "$0")/lib.sh"
oci_setup
need_cmd containerd
need_cmd ctr

D="$T_DIR/ctd"
mkdir -p "$D"
cat > "$D/config.toml" <<CONF
version = 2
root = "$D/root"
state = "$D/state"
disabled_plugins = ["io.containerd.grpc.v1.cri"]
[grpc]
  address = "$D/sock"
[ttrpc]
  address = "$D/sock.ttrpc"
[plugins."io.containerd.internal.v1.opt"]
  path = "$D/opt"
CONF
# Outside $D: the shim sockets' and ctr's fifo directory (fixed paths in 1.6), removed when
# the test made them.
[ -e /run/containerd ] || on_exit "rm -rf /run/containerd"
containerd --config "$D/config.toml" >"$D/log" 2>&1 &
CTD=$!
# At exit: containerd, then any shim of ours still there (by pid), then its mounts.
ctd_stop() {
    local p
    kill "$CTD"; wait "$CTD"
    for p in $(grep -lF -- "$D/" /proc/[0-9]*/cmdline 2>/dev/null | cut -d/ -f3); do
        kill -9 "$p"
    done
    grep -F " $D/" /proc/self/mountinfo | awk '{print $5}' | sort -r | xargs -r -n1 umount
}
on_exit ctd_stop
C=(ctr --address "$D/sock")
for _ in $(seq 100); do "${C[@]}" version >/dev/null 2>&1 && break; sleep 0.1; done
"${C[@]}" version >/dev/null 2>&1 || fail "containerd did not start: $(tail -5 "$D/log")"
R=(--runc-binary "$TOP/bin/cnt-oci" --runc-root "$OCI_ROOT")

oci_bundle "$T_DIR/bb"
tar -C "$T_DIR/bb/rootfs" -cf "$T_DIR/rootfs.tar" . || fail tar
python3 "$(dirname "$0")/oci-image.py" "$T_DIR/rootfs.tar" "$T_DIR/img.tar" localhost/oci-bb:1 ||
    fail "making the image archive"
expect_rc 0 "${C[@]}" image import "$T_DIR/img.tar"

c=oci-ctd-$$
expect_rc 5 "${C[@]}" run --rm "${R[@]}" localhost/oci-bb:1 $c-run sh -c 'echo hi; exit 5'
assert_eq "$OUT" hi "run's output"

"${C[@]}" run -d "${R[@]}" localhost/oci-bb:1 $c sleep 1000 >/dev/null 2>&1 || fail "run -d"
ctd_rm() { "${C[@]}" task kill -s KILL $c; "${C[@]}" task rm -f $c; "${C[@]}" container rm $c; }
on_exit ctd_rm
[ -f "$OCI_ROOT/default/$c/state.json" ] || fail "no cnt-oci state for $c"
expect_rc 4 "${C[@]}" task exec --exec-id e1 $c sh -c 'cat /proc/1/comm; exit 4'
assert_eq "$OUT" sleep "exec in the container's pid namespace"
expect_rc 0 "${C[@]}" task ps $c
expect_rc 0 "${C[@]}" task pause $c
expect_rc 0 "${C[@]}" task ls
assert_contains "$OUT" PAUSED
expect_rc 0 "${C[@]}" task resume $c
expect_rc 0 "${C[@]}" task kill -s KILL $c
for _ in $(seq 50); do "${C[@]}" task ls | grep -q "$c.*STOPPED" && break; sleep 0.1; done
expect_rc 0 "${C[@]}" task rm $c
expect_rc 0 "${C[@]}" container rm $c
left=$(ls -A "$OCI_ROOT/default" 2>/dev/null)
[ -z "$left" ] || fail "cnt-oci state left: $left"
left=$(find /sys/fs/cgroup -maxdepth 8 -type d -name "$c*")
[ -z "$left" ] || fail "cgroups left: $left"
expect_rc 0 "${C[@]}" image rm localhost/oci-bb:1
echo "PASS: $T_NAME"
