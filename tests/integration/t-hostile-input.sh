# Hostile input files (issue #19): configs and includes (a 10,000-deep chain, a FIFO, /dev/zero,
# a 10 MB line, NUL bytes), a FIFO as config, seccomp profile or cnt.conf, and a run-state file
# of a RUNNING container replaced by a FIFO, emptied, cut short or garbage. Every tool ends
# (within a timeout) with a clear error and an exit code < 128, and the running container
# stays manageable: cnt-stop -k stops it and leaves nothing behind.
. "$(dirname "$0")/lib.sh"
need_root
need_cmd timeout

# expect_clear TEXT CMD...: CMD fails with an exit code < 124 (not the timeout's, not a
# signal's) and says TEXT.
expect_clear() {
    local want=$1 rc; shift
    OUT=$(timeout -s KILL 60 "$@" 2>&1); rc=$?
    [ $rc -ne 0 ] || fail "\`$*\` succeeded; output: ${OUT:0:400}"
    [ $rc -lt 124 ] || fail "\`$*\` exited $rc (killed by a signal or hung); output: ${OUT:0:400}"
    assert_contains "$OUT" "$want" "\`$*\`"
}
# The tools that read a container's config, each with a clear error naming WHAT.
config_tools() {
    local n=$1 want=$2
    expect_clear "$want" cnt-start -P "$LXCPATH" -n "$n"
    expect_clear "$want" cnt-info -P "$LXCPATH" -n "$n" --check
    expect_clear "$want" cnt-info -P "$LXCPATH" -n "$n" -c lxc.uts.name
    # cnt-stop does not read the config of a container that is not running.
    expect_clear "is not running" cnt-stop -P "$LXCPATH" -n "$n" -k
}
# ls lists the others and names the broken one's problem.
ls_tools() {
    local n=$1 want=$2 rc
    OUT=$(timeout -s KILL 60 cnt-ls -P "$LXCPATH" -f 2>&1); rc=$?
    [ $rc -lt 124 ] || fail "cnt-ls -f exited $rc (killed by a signal or hung)"
    assert_contains "$OUT" "$want" "cnt-ls -f"
}
# next_line NAME: the number of the line the next one appended to NAME's config will have.
next_line() { echo $(($(wc -l < "$LXCPATH/$1/config") + 1)); }

# ---- configs ----
inc="$T_DIR/inc"
mkdir -p "$inc"
for ((i = 0; i < 10000; i++)); do echo "lxc.include = $((i + 1)).conf" > "$inc/$i.conf"; done
echo "lxc.tty.max = 1" > "$inc/10000.conf"
define hst-deep "lxc.include = $inc/0.conf"
config_tools hst-deep "includes nested deeper than 32 files"
ls_tools hst-deep "nested deeper"
rm -rf "$LXCPATH/hst-deep"

mkfifo "$T_DIR/fifo.conf"
define hst-fifoinc "lxc.include = $T_DIR/fifo.conf"
config_tools hst-fifoinc "$T_DIR/fifo.conf\": not a regular file"
rm -rf "$LXCPATH/hst-fifoinc"

mkdir -p "$LXCPATH/hst-fifocfg"
mkfifo "$LXCPATH/hst-fifocfg/config"
config_tools hst-fifocfg "not a regular file"
rm -rf "$LXCPATH/hst-fifocfg"

define hst-zero "lxc.include = /dev/zero"
config_tools hst-zero "\"/dev/zero\": not a regular file"
rm -rf "$LXCPATH/hst-zero"

define hst-long
l=$(next_line hst-long)
{ printf 'lxc.init.cmd = '; head -c $((10 << 20)) /dev/zero | tr '\0' x; echo; } >> "$LXCPATH/hst-long/config"
config_tools hst-long "config:$l: line longer than 1048576 bytes"
rm -rf "$LXCPATH/hst-long"

define hst-nul
l=$(next_line hst-nul)
printf 'lxc.tty.max = 1\0\0\0\n' >> "$LXCPATH/hst-nul/config"
config_tools hst-nul "config:$l: NUL byte"
rm -rf "$LXCPATH/hst-nul"

# A seccomp profile and cnt.conf that are FIFOs.
mk_busybox hst-sec "lxc.seccomp.profile = $T_DIR/fifo.conf"
expect_clear "reading seccomp profile: not a regular file" cnt-start -P "$LXCPATH" -n hst-sec
rm -rf "$LXCPATH/hst-sec"
mkfifo "$T_DIR/cnt.conf.fifo"
expect_clear "reading $T_DIR/cnt.conf.fifo: not a regular file" env CNT_CONF="$T_DIR/cnt.conf.fifo" cnt-ls

# ---- run-state files of a running container ----
snapshot_is() { [ "$(host_snapshot "$1")" = "$2" ]; }
spoil() {  # spoil KIND FILE
    case $1 in
        fifo) rm -f "$2"; mkfifo "$2";;
        empty) : > "$2";;
        truncated) truncate -s $(( $(stat -c %s "$2") / 2 )) "$2";;
        garbage) printf 'garbage \001\002 not a state\n' > "$2";;
    esac
}
for kind in fifo empty truncated garbage; do
    n=hst-st-$kind
    mk_busybox "$n"
    before=$(host_snapshot "$n")
    expect_rc 0 cnt-start -P "$LXCPATH" -n "$n"
    expect_rc 0 cnt-info -P "$LXCPATH" -n "$n" -p -H
    init=$OUT
    state="$(cnt-info -P "$LXCPATH" -n "$n" --run-dir)/state"
    [ -f "$state" ] || fail "no state file $state"
    spoil "$kind" "$state"
    want="corrupt"
    [ "$kind" = fifo ] && want="not a regular file"
    expect_clear "state file $state: $want" cnt-info -P "$LXCPATH" -n "$n"
    expect_clear "cnt-stop -k" cnt-start -P "$LXCPATH" -n "$n"
    expect_clear "state file $state: $want" cnt-attach -P "$LXCPATH" -n "$n" -- true
    ls_tools "$n" "$n: state file $state: $want"
    expect_clear "cnt-stop -k" cnt-stop -P "$LXCPATH" -n "$n"
    expect_clear "$want" cnt-destroy -P "$LXCPATH" -n "$n"
    # Still running (nothing above touched it).
    grep -q "cnt.payload.$n" "/proc/$init/cgroup" 2>/dev/null || fail "$kind: init $init is gone"
    expect_rc 0 timeout -s KILL 60 cnt-stop -P "$LXCPATH" -n "$n" -k
    assert_no_leftovers "$n"
    ! grep -q "cnt.payload.$n" "/proc/$init/cgroup" 2>/dev/null || fail "$kind: init $init still runs"
    wait_for snapshot_is "$n" "$before" ||
        fail "$kind: left on the host: $(host_snapshot "$n")"
    expect_rc 0 cnt-info -P "$LXCPATH" -n "$n" -s -H
    assert_eq "$OUT" "STOPPED" "$kind: after cnt-stop -k"
    # And manageable again.
    expect_rc 0 cnt-start -P "$LXCPATH" -n "$n"
    expect_rc 0 cnt-stop -P "$LXCPATH" -n "$n" -k
done
exit 0
