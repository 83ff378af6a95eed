# Concurrency. (a) Shells racing start/stop/freeze/unfreeze/attach/info/destroy+create on one
# container for a bounded time: each operation succeeds or fails with a message naming the
# container, none hangs past its timeout or dies of a signal, and the container stays
# consistent and manageable. (b) 50 containers started in parallel, then stopped in
# parallel: all succeed, nothing leaks.
. "$(dirname "$0")/lib.sh"
need_root
c=crash-cc$$
SECS=${CONC_SECS:-30}
SHELLS=${CONC_SHELLS:-6}
NMANY=${CONC_MANY:-50}
on_exit "cnt-stop -n '$c' -k; cnt-destroy -n '$c' -f"

# What a container could leave on the host, by its name only (host_snapshot also counts every
# idle busybox of other tests running on this host at the same time).
snap() {
    local n
    for n in "$@"; do
        grep -c -- "$LXCPATH/$n/" /proc/self/mountinfo
        find /sys/fs/cgroup -maxdepth 6 -type d -name "*$n" 2>/dev/null
        ls "$(run_dir "$n")" 2>/dev/null | grep -v -e '^lock$' -e '^$'
        pgrep -f "cnt monitor\\] $LXCPATH $n\$" || true
        # A process (a monitor) with a file of the container open: its log, its rootfs.
        find /proc/[0-9]*/fd -lname "$LXCPATH/$n/*" 2>/dev/null | cut -d/ -f3 | sort -u
    done
}
expect_rc 0 cnt-create -n "$c" -t busybox
BASE=$(snap "$c")

# racer ID: random operations until the deadline; one line per operation in $T_DIR/log.ID:
# "rc<TAB>op<TAB>output".
racer() {
    local end=$(( $(date +%s) + SECS )) op out rc
    local ops=(start start stop stop-k freeze unfreeze attach info destroy create)
    while [ "$(date +%s)" -lt "$end" ]; do
        op=${ops[RANDOM % ${#ops[@]}]}
        case $op in
            start) out=$(timeout 30 cnt-start -n "$c" 2>&1) ;;
            stop) out=$(timeout 30 cnt-stop -n "$c" -t 5 2>&1) ;;
            stop-k) out=$(timeout 30 cnt-stop -n "$c" -k 2>&1) ;;
            freeze) out=$(timeout 30 cnt-freeze -n "$c" 2>&1) ;;
            unfreeze) out=$(timeout 30 cnt-unfreeze -n "$c" 2>&1) ;;
            attach) out=$(timeout 30 cnt-attach -n "$c" -- true 2>&1) ;;
            info) out=$(timeout 30 cnt-info -n "$c" 2>&1) ;;
            destroy) out=$(timeout 30 cnt-destroy -n "$c" 2>&1) ;;
            create) out=$(timeout 60 cnt-create -n "$c" -t busybox 2>&1) ;;
        esac
        rc=$?
        printf '%s\t%s\t%s\n' "$rc" "$op" "$(echo "$out" | tr '\n\t' '  ')" >> "$T_DIR/log.$1"
    done
}
pids=()
for i in $(seq 1 "$SHELLS"); do racer "$i" & pids+=($!); done
for p in "${pids[@]}"; do wait "$p"; done
cat "$T_DIR"/log.* > "$T_DIR/all"
total=$(wc -l < "$T_DIR/all")
ok=$(awk -F'\t' '$1 == 0' "$T_DIR/all" | wc -l)
[ "$total" -gt 0 ] || fail "no operation ran"
# No timeout (124), no signal death (>= 128); every failure says which container and why.
# cnt-attach exits 128+N, as a shell would, when a racing stop killed the command it ran:
# 137 (SIGKILL, stop -k) or 143 (SIGTERM, sent by busybox init as it halts).
bad=$(awk -F'\t' '$1 == 124 || ($1 >= 128 && !($2 == "attach" && ($1 == 137 || $1 == 143))) { print }' \
    "$T_DIR/all" | head -5)
[ -z "$bad" ] || fail "operations hung or died: $bad"
bad=$(awk -F'\t' -v c="$c" '$1 != 0 && $1 != 137 && $1 != 143 && index($3, c) == 0 { print }' \
    "$T_DIR/all" | head -5)
[ -z "$bad" ] || fail "failures without a message naming $c: $bad"
echo "(a) $total operations from $SHELLS shells in ${SECS}s: $ok succeeded; failures:"
awk -F'\t' '$1 != 0 { sub(/^[^:]*: [^:]*: /, "", $3); print "  " $2 ": " $3 }' "$T_DIR/all" |
    sort | uniq -c | sort -rn | head -20

# Consistent and manageable afterwards.
OUT=$(timeout 60 cnt-stop -n "$c" -k 2>&1); rc=$?
[ $rc = 0 ] || [ $rc = 2 ] || fail "cnt-stop -k after the race exited $rc: $OUT"
if ! cnt-info -n "$c" -s >/dev/null 2>&1; then
    OUT=$(timeout 60 cnt-destroy -n "$c" 2>&1)
    expect_rc 0 timeout 60 cnt-create -n "$c" -t busybox
fi
expect_rc 0 timeout 60 cnt-start -n "$c"
expect_rc 0 timeout 60 cnt-attach -n "$c" -- hostname
assert_eq "$OUT" "$c" "attach after the race"
expect_rc 0 timeout 60 cnt-freeze -n "$c"
expect_rc 0 timeout 60 cnt-unfreeze -n "$c"
expect_rc 0 timeout 60 cnt-stop -n "$c" -k
assert_eq "$(snap "$c")" "$BASE" "host state after the race"
expect_rc 0 cnt-destroy -n "$c"
assert_no_leftovers "$c"

# (b) Many containers, started and stopped in parallel.
names=()
for i in $(seq 1 "$NMANY"); do names+=("crash-cm$$-$i"); done
on_exit "for n in ${names[*]}; do cnt-stop -n \$n -k; cnt-destroy -n \$n -f; done"
expect_rc 0 cnt-create -n "${names[0]}" -t busybox
for n in "${names[@]:1}"; do
    mkdir -p "$LXCPATH/$n"
    cp -a "$LXCPATH/${names[0]}/rootfs" "$LXCPATH/$n/rootfs"
    sed "s|/${names[0]}/|/$n/|; s|= ${names[0]}\$|= $n|" "$LXCPATH/${names[0]}/config" > "$LXCPATH/$n/config"
done
before=$(snap "${names[@]}")
printf '%s\n' "${names[@]}" | xargs -P 8 -I{} sh -c 'timeout 60 cnt-start -n {} || echo "FAILED start {}"' \
    > "$T_DIR/many" 2>&1
assert_not_contains "$(cat "$T_DIR/many")" FAILED "parallel starts"
running=$(cnt-ls -1 --running | grep -c "^crash-cm$$-")
assert_eq "$running" "$NMANY" "containers running"
for n in "${names[@]}"; do
    [ "$(cnt-attach -n "$n" -- hostname 2>&1)" = "$n" ] || fail "$n: hostname inside"
done
printf '%s\n' "${names[@]}" | xargs -P 8 -I{} sh -c 'timeout 60 cnt-stop -n {} -k || echo "FAILED stop {}"' \
    > "$T_DIR/many" 2>&1
assert_not_contains "$(cat "$T_DIR/many")" FAILED "parallel stops"
assert_eq "$(cnt-ls -1 --running | grep -c "^crash-cm$$-")" 0 "containers running after the stops"
printf '%s\n' "${names[@]}" | xargs -P 8 -I{} cnt-destroy -n {} > "$T_DIR/many" 2>&1 ||
    fail "parallel destroys: $(cat "$T_DIR/many")"
assert_eq "$(snap "${names[@]}")" "$before" "host state after (b)"
assert_no_leftovers "${names[@]}"
echo "(b) $NMANY containers started, checked, stopped and destroyed in parallel"
echo "ok: $T_NAME"
