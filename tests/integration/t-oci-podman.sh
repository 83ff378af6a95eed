#!/usr/bin/env bash
# podman 4.3 (with conmon) drives cnt-oci, configured as containers.conf's [engine.runtimes]
# entry: run with the exit code passed through, -t, -d + exec + ps/top + pause/unpause + stop,
# --memory / --pids-limit / --cpuset-cpus seen from inside, rm -f; nothing left. The image is
# imported from a busybox tarball (no registry); podman's storage and state are the test's own.
. "$(dirname "$0")/lib.sh"
oci_setup
need_cmd podman
need_cmd conmon

S="$T_DIR/podman"
mkdir -p "$S/tmp"
export CONTAINERS_CONF="$S/containers.conf"
cat > "$CONTAINERS_CONF" <<CONF
[containers]
netns = "none"
[engine]
cgroup_manager = "cgroupfs"
events_logger = "file"
events_logfile_path = "$S/events.log"
tmp_dir = "$S/tmp"
volume_path = "$S/volumes"
runtime = "cnt"
[engine.runtimes]
cnt = ["$TOP/bin/cnt-oci"]
CONF
# libpod_parent: podman's own parent cgroup (cgroupfs manager), removed if the test made it.
pre=$(find /sys/fs/cgroup -maxdepth 2 -type d -name libpod_parent)
on_exit "[ -n '$pre' ] ||
    find /sys/fs/cgroup -maxdepth 8 -depth -type d -path '*/libpod_parent*' -exec rmdir {} \;"
# cnt-oci's default state root: podman's exit command (container cleanup) does not pass
# --runtime-flag on, so a private --root would never see the delete.
PM=(podman --root "$S/storage" --runroot "$S/run")
# What podman and cnt-oci make outside the test's directory, removed when the test made it:
# cnt-oci's state root and podman's blob-info cache directory.
[ -e /run/cnt-oci ] || on_exit "rmdir /run/cnt-oci"
[ -e /var/lib/containers ] || on_exit "rm -rf /var/lib/containers"
IDS=()
pm_cleanup() {
    "${PM[@]}" rm -a -f -t 0
    "${PM[@]}" rmi -a -f
    grep -F " $S/" /proc/self/mountinfo | awk '{print $5}' | sort -r | xargs -r -n1 umount
}
on_exit pm_cleanup
# The host's hard limits may be below podman's defaults (raising them needs CAP_SYS_RESOURCE).
U=(--ulimit nofile=1024:1024 --ulimit nproc=1000:1000)

oci_bundle "$T_DIR/bb"
tar -C "$T_DIR/bb/rootfs" -cf "$T_DIR/bb.tar" . || fail "tar"
"${PM[@]}" import "$T_DIR/bb.tar" localhost/oci-bb:1 >/dev/null 2>&1 || fail "podman import"

# run --rm: output, exit code, podman's default seccomp profile loaded.
expect_rc 3 "${PM[@]}" run --rm "${U[@]}" localhost/oci-bb:1 \
    sh -c 'echo hello; grep Seccomp: /proc/self/status; exit 3'
assert_contains "$OUT" hello
assert_contains "$OUT" "Seccomp:	2"
expect_rc 2 "${PM[@]}" run --rm -t "${U[@]}" localhost/oci-bb:1 sh -c 'tty; exit 2'
assert_contains "$OUT" /dev/console

# -d, limits seen from inside, exec (also -t), ps, top, pause/unpause, stop, rm -f.
n=oci-pm-$$
expect_rc 0 "${PM[@]}" run -d --name $n --memory 64m --pids-limit 30 --cpuset-cpus 0 "${U[@]}" \
    localhost/oci-bb:1 sleep 1000
IDS+=("$OUT")
[ -f "/run/cnt-oci/$OUT/state.json" ] || fail "no cnt-oci state for container $OUT"
expect_rc 0 "${PM[@]}" exec $n awk '/^hierarchical_memory_limit/ {print $2}' \
    /sys/fs/cgroup/memory/memory.stat
assert_eq "$OUT" 67108864 "memory limit inside"
expect_rc 0 "${PM[@]}" exec $n \
    sh -c '(for i in $(seq 40); do sleep 5 & echo ok; done) 2>/dev/null | wc -l'
[ "$OUT" -lt 30 ] || fail "pids limit: $OUT processes made"
expect_rc 0 "${PM[@]}" exec $n awk '/^Cpus_allowed_list/ {print $2}' /proc/self/status
assert_eq "$OUT" 0 "cpuset inside"
expect_rc 6 "${PM[@]}" exec -t $n sh -c 'tty; exit 6'
assert_contains "$OUT" /dev/pts/
expect_rc 0 "${PM[@]}" ps --format '{{.Names}} {{.Status}}'
assert_contains "$OUT" "$n Up"
expect_rc 0 "${PM[@]}" top $n
assert_contains "$OUT" "sleep 1000"
expect_rc 0 "${PM[@]}" pause $n
expect_rc 0 "${PM[@]}" ps -a --format '{{.Names}} {{.Status}}'
assert_contains "$OUT" "$n Paused"
expect_rc 0 "${PM[@]}" unpause $n
expect_rc 0 "${PM[@]}" stop -t 1 $n
expect_rc 0 "${PM[@]}" ps -a --format '{{.Names}} {{.Status}}'
assert_contains "$OUT" "$n Exited"
expect_rc 0 "${PM[@]}" start $n
expect_rc 0 "${PM[@]}" rm -f -t 0 $n
expect_rc 0 "${PM[@]}" ps -a -q
assert_eq "$OUT" "" "containers left"
for id in "${IDS[@]}"; do
    [ -e "/run/cnt-oci/$id" ] && fail "cnt-oci state left: /run/cnt-oci/$id"
    left=$(find /sys/fs/cgroup -maxdepth 8 -type d -name "libpod-$id*")
    [ -z "$left" ] || fail "cgroups left: $left"
done
echo "PASS: $T_NAME"
