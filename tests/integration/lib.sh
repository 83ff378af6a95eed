# The one helper library of the integration and escape tests (tests/integration/t-*.sh,
# tests/security/t-*.sh, and tests/faults/run): they source it and nothing else.
# Gives: a private lxcpath ($LXCPATH), a private cnt.conf ($CNT_CONF), cleanup on any exit
# ending with one leftover check, small assertions, cnt's paths as cnt says them, containers
# made by hand or by cnt-create, a throwaway host netns, the escape suite's attacks, host
# snapshots, test users, a btrfs file system and cnt-oci bundles, each in a section below.
# A test that needs root calls need_root first.
set -u
TOP=$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)
export PATH="$TOP/bin:$PATH"
T_NAME=$(basename "$0" .sh)

# ---- Basics: skip, fail, what a test needs ----
skip() { echo "SKIP: $T_NAME: $*"; exit 77; }
fail() { echo "FAIL: $T_NAME: $*" >&2; exit 1; }
need_root() { [ "$(id -u)" = 0 ] || skip "needs root"; }
need_cmd() { command -v "$1" >/dev/null 2>&1 || skip "needs $1"; }

# ---- Cleanup: functions registered with on_exit run in reverse order, whatever happened ----
_CLEANUPS=()
# A subshell (a pipeline stage, $(...)) has its own copy of the list and no EXIT trap: what it
# registered would never run. That is a bug in the test: clean up now and fail the test.
on_exit() {
    if [ "$BASH_SUBSHELL" != 0 ]; then
        echo "FAIL: $T_NAME: on_exit called in a subshell (a pipeline?), cleanup lost: $*" >&2
        eval "$*" >/dev/null 2>&1
        kill -TERM $$
        exit 1
    fi
    _CLEANUPS+=("$*")
}
_run_cleanups() {
    local rc=$? i names left
    names=$(ls "$LXCPATH" 2>/dev/null)
    for ((i=${#_CLEANUPS[@]}-1; i>=0; i--)); do eval "${_CLEANUPS[$i]}" >/dev/null 2>&1 || true; done
    left=$(test_leftovers $names | awk '!seen[$0]++')
    if [ -n "$left" ]; then
        echo "FAIL: $T_NAME: left on the host after its cleanup:" >&2
        printf '%s\n' "$left" | head -10 | sed 's/^/  /' >&2
        [ $rc = 0 ] && rc=1
    fi
    exit $rc
}
# ---- The leftover check: every test ends with it; mid-test, assert_no_leftovers NAME... ----
# leftovers NAME...: what containers of these names (of $LXCPATH) left on the host, one line
# each, empty when nothing: cgroups in any hierarchy (cnt.payload.NAME, cnt.monitor.NAME, any
# whose name ends in .NAME, and any holding NAME when NAME holds the test's pid, so is the
# test's alone), mounts naming the container's directory, processes whose root or cwd is in
# it, its monitor, its run state (the lock file aside).
leftovers() {
    local n procs wide
    procs=$(cd / && find /proc/[0-9]*/root /proc/[0-9]*/cwd -maxdepth 0 -printf '%p %l\n' 2>/dev/null)
    for n in "$@"; do
        wide="*.$n"
        [[ $n == *$$* ]] && wide="*$n*"
        find /sys/fs/cgroup -maxdepth 8 -type d \( -name "cnt.payload.$n" -o -name "cnt.monitor.$n" \
            -o -name "$wide" \) 2>/dev/null | sed 's/^/cgroup /'
        grep -F -- "$LXCPATH/$n" /proc/self/mountinfo 2>/dev/null | awk '{print "mount " $5}'
        awk -v d="$LXCPATH/$n" -v me=$$ '($2 == d || index($2, d "/") == 1) && $1 !~ "^/proc/" me "/" {
            split($1, p, "/"); print "process " p[3] " (" p[4] " " $2 ")" }' <<<"$procs"
        pgrep -f "cnt monitor\\] $LXCPATH $n\$" | sed "s|^|monitor of $n: |"
        ls "$(run_dir "$n" 2>/dev/null)" 2>/dev/null | grep -v -e '^lock$' -e '^$' | sed "s|^|run dir $n: |"
    done
    return 0
}
# assert_no_leftovers NAME...: the test fails if the containers left anything (leftovers).
assert_no_leftovers() {
    local left
    left=$(leftovers "$@")
    [ -z "$left" ] || fail "left on the host: $left"
}
# test_leftovers NAME... (run by the EXIT trap after the cleanups, NAMEs being the containers
# the test had defined): leftovers of them, and processes whose root or cwd is in this test's
# directory, mounts below it, its run dir, the delegations and processes of the users it made.
test_leftovers() {
    local n
    leftovers "$@"
    (cd / && find /proc/[0-9]*/root /proc/[0-9]*/cwd -maxdepth 0 -printf '%p %l\n' 2>/dev/null) |
        awk -v d="$T_DIR/" -v me=$$ 'index($2, d) == 1 && $1 !~ "^/proc/" me "/" {
            split($1, p, "/"); print "process " p[3] " (" p[4] " " $2 ")" }'
    grep -F " $T_DIR/" /proc/self/mountinfo 2>/dev/null | awk '{print "mount " $5}'
    [ -d "/run/cnt-test/$(basename "$T_DIR")" ] && echo "run dir /run/cnt-test/$(basename "$T_DIR")"
    # the delegations of the users the test made (make_test_user)
    for n in ${_T_USER_UIDS[@]+"${_T_USER_UIDS[@]}"}; do
        find /sys/fs/cgroup -maxdepth 2 -type d -name "cnt.user.$n" 2>/dev/null | sed 's/^/cgroup /'
        awk -v u="$n" '$1 == "Uid:" && $2 == u { print "process of uid " u ": " FILENAME }' \
            /proc/[0-9]*/status 2>/dev/null
    done
    return 0
}
trap _run_cleanups EXIT
trap 'exit 130' INT TERM

# ---- A private lxcpath, cnt.conf and run dir for this test ----
T_DIR=$(mktemp -d /tmp/cnt-test.XXXXXX)
LXCPATH="$T_DIR/lxc"
mkdir -p "$LXCPATH"
export CNT_CONF="$T_DIR/cnt.conf"
cat > "$CNT_CONF" <<CONF
[paths]
lxcpath = $LXCPATH
template_dir = $TOP/templates
default_config = $TOP/config/default.conf
rundir = /run/cnt-test/$(basename "$T_DIR")
CONF
on_exit "rm -rf '$T_DIR'; rm -rf '/run/cnt-test/$(basename "$T_DIR")'"

# Stop (hard) and destroy a container at exit; call right after creating it.
cleanup_container() {
    on_exit "cnt-stop -P '$LXCPATH' -n '$1' -k; cnt-destroy -P '$LXCPATH' -n '$1' -f"
}

# ---- Assertions ----
assert_eq() { [ "$1" = "$2" ] || fail "${3:-values differ}: expected [$2], got [$1]"; }
assert_contains() { case "$1" in *"$2"*) ;; *) fail "${3:-missing text}: [$2] not in [$1]";; esac; }
assert_not_contains() { case "$1" in *"$2"*) fail "${3:-unexpected text}: [$2] in [$1]";; esac; }
# Run a command, expect exit code $1; output in $OUT (stdout+stderr).
expect_rc() {
    local want=$1; shift
    OUT=$("$@" 2>&1); local rc=$?
    [ "$rc" = "$want" ] || fail "\`$*\` exited $rc, expected $want; output: $OUT"
}

# ---- cnt's paths, asked of cnt ----
# The run dir of container $1 of $LXCPATH as cnt computes it: the one way tests find cnt's
# paths is to ask cnt (cnt-info --run-dir), never to compute them again.
run_dir() { cnt-info -P "$LXCPATH" -n "$1" --run-dir; }
# The container's run-state file, printed only when it exists.
state_file() {
    local f
    f="$(run_dir "$1")/state" && [ -e "$f" ] && echo "$f"
}
# The monitor's pid as the container's run-state file records it (never looked up by name).
monitor_pid() {
    local f
    f=$(state_file "$1") && sed -n 's/^monitor_pid=//p' "$f"
}

# ---- Containers made by hand: one busybox rootfs builder, one config writer ----
# mk_busybox_rootfs DIR: a static busybox with every applet linked, root in passwd/group, and
# a shell-free inittab so busybox init idles (SIGUSR1 halts it).
mk_busybox_rootfs() {
    local r=$1 bb app
    bb=$(command -v busybox) || skip "needs busybox"
    mkdir -p "$r"/{bin,sbin,etc,proc,sys,dev,tmp,root,usr/bin,usr/sbin}
    cp "$bb" "$r/bin/busybox"
    for app in $("$bb" --list-full); do
        [ -e "$r/$app" ] || ln -s /bin/busybox "$r/$app"
    done
    echo "root:x:0:0:root:/root:/bin/sh" > "$r/etc/passwd"
    echo "root:x:0:" > "$r/etc/group"
    printf '::sysinit:/bin/true\n::respawn:/bin/sleep 100000\n' > "$r/etc/inittab"
}

# ct_config NAME [LINE...]: $LXCPATH/NAME/config with the lines every hand-made container has
# (its rootfs $LXCPATH/NAME/rootfs, its name as hostname, SIGUSR1 to halt busybox init), then
# the given lines.
ct_config() {
    local name=$1; shift
    mkdir -p "$LXCPATH/$name"
    printf '%s\n' "lxc.rootfs.path = dir:$LXCPATH/$name/rootfs" "lxc.uts.name = $name" \
        "lxc.signal.halt = SIGUSR1" "$@" > "$LXCPATH/$name/config"
}

# mk_busybox NAME [LINE...]: a busybox container (rootfs and config: proc and sys mounted, 4
# ptys, no network unless a line says otherwise), stopped at exit (from the test's netns $HNS
# when there is one).
mk_busybox() {
    local name=$1; shift
    mk_busybox_rootfs "$LXCPATH/$name/rootfs"
    ct_config "$name" "lxc.mount.auto = proc:mixed sys:ro" "lxc.pty.max = 4" \
        "lxc.net.0.type = empty" "$@"
    on_exit "${HNS:+nsenter --net=/run/netns/$HNS }cnt-stop -P '$LXCPATH' -n '$name' -k"
}

# mk_created NAME [LINE...]: a container made as an admin makes one (`cnt-create -t busybox`
# from the shipped default config), the lines appended to its config; stopped and destroyed at
# exit.
mk_created() {
    local name=$1; shift
    expect_rc 0 cnt-create -P "$LXCPATH" -n "$name" -t busybox -q
    cleanup_container "$name"
    [ $# = 0 ] || printf '%s\n' "$@" >> "$LXCPATH/$name/config"
}

# define NAME [LINE...]: a container defined by its config only (an empty rootfs dir).
define() {
    mkdir -p "$LXCPATH/$1/rootfs"
    ct_config "$@"
}

# fake_state NAME STATE [PID]: a run-state file written atomically (temp + rename, as the
# monitor does); PID stands in for init (its start time makes it "alive").
fake_state() {
    local d start=0
    d=$(run_dir "$1")
    mkdir -p "$d"
    [ -n "${3:-}" ] && start=$(awk '{ sub(/.*\) /, ""); print $20 }' "/proc/$3/stat")
    # Every key the monitor writes (a state file without one of them reads as corrupt).
    printf 'config=%s\nstate=%s\ninit_pid=%s\ninit_start=%s\nmonitor_pid=%s\nmonitor_start=%s\n' \
        "$LXCPATH/$1/config" "$2" "${3:-0}" "$start" "${3:-0}" "$start" > "$d/state.tmp"
    mv -f "$d/state.tmp" "$d/state"
}

# wait_for CMD...: wait (bounded, polling a cheap condition) until CMD succeeds.
wait_for() {
    local i
    for i in $(seq 1 100); do "$@" >/dev/null 2>&1 && return 0; sleep 0.1; done
    return 1
}

# Devices a busybox container needs to boot, for the containers with device rules.
BOOT_DEVS="c 1:3 rwm
c 1:7 rwm
c 1:8 rwm
c 1:9 rwm
c 5:* rwm
c 136:* rwm"

# ---- Network: a throwaway "host" netns per test, so nothing touches the real host's ----
# net_host: make the netns $HNS (removed at exit) and define H (run a command in it), start and
# stop (a container, from it) and inside (a command in a container, rc 0 expected, output in
# $OUT). Containers made after it (mk_busybox) are stopped from it at exit.
net_host() {
    need_root
    need_cmd ip
    HNS=cnth$$
    ip netns add "$HNS" || fail "ip netns add $HNS"
    on_exit "ip netns del '$HNS'"
    H ip link set lo up
    start() { expect_rc 0 H cnt-start -P "$LXCPATH" -n "$1" -d; }
    stop() { expect_rc 0 H cnt-stop -P "$LXCPATH" -n "$1" -k; }
    inside() { local n=$1; shift; expect_rc 0 cnt-attach -P "$LXCPATH" -n "$n" -- "$@"; }
}
# nsenter, not `ip netns exec`: the latter remounts /sys, which hides the cgroup mounts.
H() { nsenter --net=/run/netns/"$HNS" "$@"; }
# Interfaces of the host netns other than lo and those the test made itself.
host_links() {
    H ip -o link show | awk -F': ' '{print $2}' | sed 's/@.*//' | grep -v '^lo$' | sort
}
# A stopped container's veths go with its netns, which the kernel tears down a moment after
# cnt-stop returns: wait (bounded) until the host's interfaces are $1, then print them.
host_links_settled() {
    local i
    for i in $(seq 1 100); do [ "$(host_links)" = "$1" ] && break; sleep 0.05; done
    host_links
}

# ---- The escape suite (tests/security/): real attacks from inside real containers. ----
# sec_container NAME KIND: a container made as an admin makes one (`cnt-create -t busybox` from
# the shipped default config, so with cnt's hardening defaults), started, stopped and destroyed
# at exit. KIND is `priv` (privileged) or `idmap` (container root is host uid SEC_IDMAP_BASE:
# lxc.idmap of 65536 ids and the rootfs shifted onto them). Extra config lines may follow.
SEC_IDMAP_BASE=100000
sec_container() {
    local name=$1 kind=$2; shift 2
    mk_created "$name" "$@"
    if [ "$kind" = idmap ]; then
        sec_idmap_lines idmap >> "$LXCPATH/$name/config"
        sec_shift_rootfs "$LXCPATH/$name/rootfs"
    fi
    expect_rc 0 cnt-start -P "$LXCPATH" -n "$name"
}

# sec_idmap_lines KIND: the lxc.idmap lines of that kind of container (none for priv).
sec_idmap_lines() {
    [ "$1" = idmap ] || return 0
    echo "lxc.idmap = u 0 $SEC_IDMAP_BASE 65536"
    echo "lxc.idmap = g 0 $SEC_IDMAP_BASE 65536"
}

# sec_shift_rootfs DIR: every file's owner and group moved up by SEC_IDMAP_BASE (links too).
sec_shift_rootfs() {
    find "$1" -xdev -printf '%U %G %p\0' | while IFS=' ' read -r -d '' u g p; do
        chown -h "$((u + SEC_IDMAP_BASE)):$((g + SEC_IDMAP_BASE))" "$p"
    done
}

# sec_exploit NAME CONTAINER: tests/security/exploits/NAME.c built statically (so it runs in any
# rootfs) into the container's rootfs as /bin/NAME, owned by the container's root.
sec_exploit() {
    local src="$TOP/tests/security/exploits/$1.c" dst="$LXCPATH/$2/rootfs/bin/$1"
    [ -f "$src" ] || fail "no exploit $src"
    cc -static -O1 -Wall -o "$dst" "$src" || fail "building exploit $1"
    chown --reference="$LXCPATH/$2/rootfs/bin/busybox" "$dst"
}

# sec_in CONTAINER CMD...: run CMD inside as the container's root; exit status in $RC, output
# (stdout+stderr) in $OUT. Never fails the test by itself: the caller says what must happen.
sec_in() {
    local n=$1; shift
    OUT=$(cnt-attach -P "$LXCPATH" -n "$n" -u 0 -g 0 -- "$@" 2>&1); RC=$?
}

# sec_attack CONTAINER EXPLOIT [ARGS...]: build the exploit into the container and run it as the
# container's root; it must report no escape and exit 0 (every attempt refused). $OUT holds its
# report ("denied: what: reason" lines) for further checks.
sec_attack() {
    local n=$1 x=$2; shift 2
    sec_exploit "$x" "$n"
    sec_in "$n" "/bin/$x" "$@"
    assert_not_contains "$OUT" ESCAPED "$x in $n"
    assert_eq "$RC" 0 "$x in $n: the exploit's verdict ($OUT)"
}

# sec_kinds: the kinds of container every escape test runs in.
sec_kinds() { echo priv idmap; }

# sec_host_state: what an escape would change on the host (the sysctls and files the attacks
# aim at); compared before and after each attack.
sec_host_state() {
    cat /proc/sys/kernel/core_pattern /proc/sys/kernel/hostname /proc/sys/kernel/modprobe \
        /proc/sys/vm/drop_caches 2>/dev/null
    hostname
    sec_bin_sums
    ls -la /tmp | grep -c 'cnt-escape' || true
}

# sec_bin_sums: the md5sum lines of the tools (bin/cnt-*), hashed again only when a file's inode,
# size, mtime or ctime changed since the last call: every write sets ctime, which nothing but
# the host's clock sets back. (The ~30 static tools with debug info are ~800 MB: hashed twice
# per attack, they doubled t-esc-symlinks' time.)
sec_bin_sums() {
    local cache="$T_DIR/bin-sums" stats
    stats=$(stat -c '%n %i %s %.9Y %.9Z' "$TOP"/bin/cnt-* 2>/dev/null)
    if [ ! -f "$cache.stat" ] || [ "$stats" != "$(cat "$cache.stat")" ]; then
        md5sum "$TOP"/bin/cnt-* > "$cache" 2>/dev/null
        printf '%s\n' "$stats" > "$cache.stat"
    fi
    cat "$cache"
}

# sec_end NAME...: stop and destroy the containers, then the leftover check.
sec_end() {
    local n
    for n in "$@"; do
        cnt-stop -P "$LXCPATH" -n "$n" -k >/dev/null 2>&1
        cnt-destroy -P "$LXCPATH" -n "$n" -f >/dev/null 2>&1
    done
    assert_no_leftovers "$@"
}

# ---- Host snapshots and a cgroup2-only view, for before/after comparisons ----
# host_snapshot NAME...: what containers of these names (in this test's lxcpath) could leave on
# the host, one sorted line per item, for before/after comparisons: their cgroup directories in
# every hierarchy, mounts of their directories, nsfs mounts naming them, network interfaces (all
# of the netns $HNS when the test made one, else those whose name has NAME in it), processes
# whose root, cgroup or title is theirs, their run files (the lock file itself excluded) and
# who holds the lock, and the top of their container directory (the log file excluded).
host_snapshot() {
    local n run lk ino
    run=/run/cnt-test/$(basename "$T_DIR")
    {
        if [ -n "${HNS:-}" ]; then
            ip -n "$HNS" -o link show | awk -F': ' '{print "link " $2}' | sed 's/@.*//'
        fi
        for n in "$@"; do
            find /sys/fs/cgroup -maxdepth 8 -type d -name "*$n*" 2>/dev/null | sed 's/^/cgroup /'
            awk -v d="$LXCPATH/$n" -v n="$n" 'index($0, d) || ($9 == "nsfs" && index($0, n)) \
                { print "mount " $5 " " $9 }' /proc/self/mountinfo
            [ -n "${HNS:-}" ] || ip -o link show | awk -F': ' '{print $2}' | grep -F -- "$n" | sed 's/^/link /'
            find /proc -mindepth 2 -maxdepth 2 -name root \( -lname "$LXCPATH/$n" -o -lname "$LXCPATH/$n/*" \) |
                awk -F/ '{print "process root " $3}'
            # (zombies excluded: dead, their cgroup may be gone, only their parent's wait left)
            grep -l -- "cnt.payload.$n\b" /proc/[0-9]*/cgroup | awk -F/ '{print $3}' |
                while read -r p; do
                    [ "$(awk '{print $3}' "/proc/$p/stat" 2>/dev/null)" = Z ] || echo "process cgroup $p"
                done
            grep -la -- "[c]nt monitor\] $LXCPATH $n\b" /proc/[0-9]*/cmdline | awk -F/ '{print "process monitor " $3}'
            for lk in "$run"/*/"$n"; do
                [ -d "$lk" ] || continue
                find "$lk" -mindepth 1 ! -name lock | sed "s|^$run/|run |"
                ino=$(stat -c %i "$lk/lock" 2>/dev/null) &&
                    awk -v i=":$ino " 'index($0, i) { print "lock held " $2 }' /proc/locks
            done
            [ -d "$LXCPATH/$n" ] && ls -A "$LXCPATH/$n" | grep -vx -- "$n.log" | sed "s|^|dir $n/|"
        done
    } 2>/dev/null | sort
}

# cgroup2_only_ns: a mount namespace whose /sys/fs/cgroup is a lone cgroup2 (a pure cgroup2
# host seen from a hybrid one), held by the file NSD/mnt (NSD=$T_DIR/ns) on a private bind
# mount, as bench/run.sh does for crun; enter it with `nsenter --mount="$NSD/mnt"`. Both
# mounts go at exit. (A read-only devpts some other test may have left over the host's
# /dev/pts is dropped inside.)
cgroup2_only_ns() {
    NSD="$T_DIR/ns"
    mkdir -p "$NSD"
    mount --bind "$NSD" "$NSD" && mount --make-private "$NSD" || fail "private bind mount of $NSD"
    on_exit "umount '$NSD'"
    touch "$NSD/mnt"
    on_exit "umount '$NSD/mnt'"
    unshare --mount="$NSD/mnt" --propagation private sh -ec '
        for m in $(awk '"'"'$5 ~ "^/sys/fs/cgroup/" {print $5}'"'"' /proc/self/mountinfo | sort -r); do
            umount "$m"
        done
        umount /sys/fs/cgroup 2>/dev/null || true
        mount -t cgroup2 cgroup2 /sys/fs/cgroup
        ! grep -q " /dev/pts .* devpts devpts ro," /proc/self/mountinfo || umount /dev/pts
    ' || fail "setting up the cgroup2-only namespace"
}

# ---- Unprivileged containers: a real user, its subordinate ids and its cgroup delegation ----
# make_test_user PREFIX: useradd a new user (name PREFIX + the test's pid, home in /home) with
# one subordinate range in /etc/subuid and /etc/subgid, TEST_USER_BASE = 200000 + uid * 65536
# (65536 ids: no other test uses that range; useradd's own automatic ranges are turned off).
# Sets TEST_USER, TEST_UID, TEST_GID, TEST_HOME. At exit: its processes and those of its range
# are killed (by pid), its cgroup delegation removed, userdel -r, and exactly its subuid and
# subgid lines removed. The leftover check also looks for its cnt.user.UID cgroups.
_T_USER_UIDS=()
make_test_user() {
    need_root
    need_cmd useradd
    need_cmd setpriv
    need_cmd newuidmap
    TEST_USER="$1$$"
    useradd -m -s /bin/sh -K SUB_UID_COUNT=0 -K SUB_GID_COUNT=0 "$TEST_USER" ||
        fail "useradd $TEST_USER"
    TEST_UID=$(id -u "$TEST_USER")
    TEST_GID=$(id -g "$TEST_USER")
    TEST_HOME=$(getent passwd "$TEST_USER" | cut -d: -f6)
    TEST_USER_BASE=$((200000 + TEST_UID * 65536))
    # (the same under the short names the network tests use)
    TU_NAME=$TEST_USER TU_UID=$TEST_UID TU_GID=$TEST_GID TU_SUBID=$TEST_USER_BASE
    _T_USER_UIDS+=("$TEST_UID")
    on_exit "_remove_test_user '$TEST_USER' $TEST_UID $TEST_USER_BASE"
    echo "$TEST_USER:$TEST_USER_BASE:65536" >> /etc/subuid
    echo "$TEST_USER:$TEST_USER_BASE:65536" >> /etc/subgid
    _test_user_tools
}
# TEST_USER_BIN: the tools as the user reaches them: this tree's bin/ when the user may run it
# (the usual case: /work is mode 755), else a copy of bin/, templates/ and config/ (hard links
# where the file system allows) in the test's directory, opened to the user.
_test_user_tools() {
    TEST_USER_BIN=$TOP/bin
    # (CNT_TEST_COPY_TOOLS=1: always the copy, to test it)
    [ "${CNT_TEST_COPY_TOOLS:-0}" != 1 ] &&
        setpriv --reuid="$TEST_UID" --regid="$TEST_GID" --clear-groups test -x "$TOP/bin/cnt-start" &&
        return
    chmod 711 "$T_DIR"
    mkdir -m 755 "$T_DIR/tools"
    cp -al "$TOP/bin" "$TOP/templates" "$TOP/config" "$T_DIR/tools/" 2>/dev/null ||
        cp -a "$TOP/bin" "$TOP/templates" "$TOP/config" "$T_DIR/tools/" || fail "copying the tools"
    chmod -R a+rX "$T_DIR/tools"
    TEST_USER_BIN=$T_DIR/tools/bin
}
_remove_test_user() {
    local name=$1 uid=$2 base=$3 f pid pids=() i
    # Its processes, and those running as its subordinate ids (its containers), by pid; then
    # wait until they are reaped (a monitor still exiting after cnt-stop is one of them).
    for f in /proc/[0-9]*/status; do
        pid=${f#/proc/}; pid=${pid%/status}
        awk -v u="$uid" -v b="$base" '$1 == "Uid:" { exit !($2 == u || ($2 >= b && $2 < b + 65536)) }' \
            "$f" 2>/dev/null && kill -KILL "$pid" 2>/dev/null && pids+=("$pid")
    done
    for pid in ${pids[@]+"${pids[@]}"}; do
        for ((i = 0; i < 100; i++)); do [ -e "/proc/$pid" ] || break; sleep 0.05; done
    done
    remove_test_delegation "$uid"
    userdel -r "$name" 2>/dev/null
    sed -i "/^$name:$base:65536\$/d" /etc/subuid /etc/subgid
}
# run_as_user CMD...: run as TEST_USER (setpriv: its uid, gid and groups) with a clean
# environment: its HOME, no XDG_RUNTIME_DIR (the run dir falls back to ~/.cache/cnt/run), a
# Debian user's PATH (no sbin) with the tools first (TEST_USER_BIN).
run_as_user() {
    (cd / && setpriv --reuid="$TEST_UID" --regid="$TEST_GID" --init-groups \
        env -i HOME="$TEST_HOME" USER="$TEST_USER" LOGNAME="$TEST_USER" \
        PATH="$TEST_USER_BIN:/usr/local/bin:/usr/bin:/bin" "$@")
}
# as_test_user CMD...: CMD as the last user make_test_user made (its groups, no others), in
# the caller's environment. In the background, `$!` is setpriv's pid, which becomes CMD's.
as_test_user() { setpriv --reuid="$TU_UID" --regid="$TU_GID" --init-groups -- "$@"; }
# delegate_test_user: what `cnt-delegate TEST_USER` does (cnt.user.UID at the root of each
# cgroup hierarchy, owned by the user); removed at exit.
delegate_test_user() {
    local m d f
    if [ -x "$TOP/bin/cnt-delegate" ]; then
        "$TOP/bin/cnt-delegate" "$TEST_USER" || fail "cnt-delegate $TEST_USER"
        return
    fi
    for m in $(awk '$3 == "cgroup" || $3 == "cgroup2" { print $2 }' /proc/self/mounts); do
        d="$m/cnt.user.$TEST_UID"
        mkdir -p "$d" || fail "mkdir $d"
        # A new v1 cpuset is empty: it takes its parent's cpus and mems.
        for f in cpuset.cpus cpuset.mems; do
            [ -e "$d/$f" ] && cat "$m/$f" > "$d/$f"
        done
        chown "$TEST_UID:$TEST_GID" "$d"
        for f in tasks cgroup.procs cgroup.subtree_control cgroup.threads; do
            [ -e "$d/$f" ] && chown "$TEST_UID:$TEST_GID" "$d/$f"
        done
    done
}
remove_test_delegation() {
    local d
    if [ -x "$TOP/bin/cnt-delegate" ]; then
        "$TOP/bin/cnt-delegate" --remove "$(getent passwd "$1" | cut -d: -f1)" >/dev/null 2>&1
    fi
    # Depth first: the user's container cgroups (already emptied) go with it.
    find /sys/fs/cgroup -mindepth 2 -maxdepth 2 -type d -name "cnt.user.$1" 2>/dev/null |
        while read -r d; do find "$d" -depth -type d -exec rmdir {} \; 2>/dev/null; done
}

# ---- Stores: a btrfs file system ----
# A btrfs filesystem of SIZE in a loop file of the test's, mounted on $T_DIR/bt (unmounted at
# exit, which frees the loop device): for the btrfs store tests.
mount_test_btrfs() {
    need_cmd mkfs.btrfs
    truncate -s "$1" "$T_DIR/btrfs.img"
    mkfs.btrfs -q -f "$T_DIR/btrfs.img" >/dev/null || fail "mkfs.btrfs"
    mkdir "$T_DIR/bt"
    mount -o loop "$T_DIR/btrfs.img" "$T_DIR/bt" || fail "mounting the btrfs image"
    on_exit "umount -l '$T_DIR/bt'"
}

# ---- cnt-oci: bundles, a private state root, and what a container may leave ----
# oci_setup: what the cnt-oci tests need; OCI_ROOT (their state root) and OCI (the command).
oci_setup() {
    need_root
    need_cmd busybox
    need_cmd python3
    OCI_ROOT="$T_DIR/oci-state"
    OCI=(cnt-oci --root "$OCI_ROOT")
}

# oci_bundle DIR: DIR/rootfs (the busybox rootfs) and DIR/config.json (`cnt-oci spec`'s).
oci_bundle() {
    mk_busybox_rootfs "$1/rootfs"
    (cd "$1" && cnt-oci spec) || fail "cnt-oci spec"
}

# oci_edit DIR PYTHON: edit DIR/config.json, the document being `c`.
oci_edit() {
    python3 - "$1/config.json" "$2" <<'PY' || fail "editing $1/config.json"
import json, sys
path, code = sys.argv[1], sys.argv[2]
c = json.load(open(path))
exec(code)
json.dump(c, open(path, "w"), indent=1)
PY
}

# Every container of the test deleted (--force) at exit; then no state dir, no cgroup.
oci_cleanup() { on_exit "'$TOP/bin/cnt-oci' --root '$OCI_ROOT' delete --force '$1'"; }
oci_leftovers() {
    local left
    left=$(ls -A "$OCI_ROOT" 2>/dev/null)
    [ -z "$left" ] || fail "state left in $OCI_ROOT: $left"
    left=$(find /sys/fs/cgroup -maxdepth 8 -type d -name "cnt.payload.$1*" 2>/dev/null)
    [ -z "$left" ] || fail "cgroups left: $left"
}
oci_status() { "${OCI[@]}" state "$1" | sed -n 's/.*"status": "\(.*\)".*/\1/p'; }
