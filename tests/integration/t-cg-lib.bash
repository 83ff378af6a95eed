# Sourced by the t-cg-*.sh tests that start containers (after lib.sh).
# cg_leftovers NAME...: what containers of these names could leave on the host — cgroup
# directories, mounts of their rootfs, run-state files, monitors and processes whose root is
# in their rootfs. Empty when nothing is left; a test compares it before and after.
cg_leftovers() {
    local n p root
    for n in "$@"; do
        find /sys/fs/cgroup -maxdepth 8 -type d -name "cnt.payload.$n" 2>/dev/null
        grep -- " $LXCPATH/$n/" /proc/self/mountinfo 2>/dev/null | awk '{print "mount " $5}'
        ls "$(run_dir "$n")" 2>/dev/null | grep -v -e '^lock$' -e '^$' \
            | sed "s|^|run dir $n: |"
        pgrep -f "cnt monitor\\] $LXCPATH $n\$" | sed "s|^|monitor of $n: |"
        for p in /proc/[0-9]*; do
            root=$(readlink "$p/root" 2>/dev/null) || continue
            [ "$root" = "$LXCPATH/$n/rootfs" ] && echo "process ${p#/proc/} in $n"
        done
    done
    return 0
}

# Devices a busybox container needs to boot, for the device-rule containers.
BOOT_DEVS="c 1:3 rwm
c 1:7 rwm
c 1:8 rwm
c 1:9 rwm
c 5:* rwm
c 136:* rwm"
