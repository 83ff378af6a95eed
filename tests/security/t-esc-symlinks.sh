# Symlinks planted in the rootfs on every path init touches as host root before pivot_root
# (mount targets and create=dir/file, fstab, relative bind sources, /dev and what is in it,
# tty.dir, /proc, /sys, /sys/fs/cgroup): absolute ones into a host dir the test made, relative
# ones climbing out with ../../... The start either works with the object made inside the
# rootfs, or fails with an error naming the path (and the config line, for an entry); and
# never is anything made, mounted or changed outside, in a privileged and an idmapped container.
. "$(dirname "$0")/../integration/lib.sh"
need_root

# The attacks' target: empty, and writable by anyone (the idmapped container's root too), so
# that an escape would show here whoever made it.
ESC=$(mktemp -d /tmp/cnt-escape.XXXXXX)
on_exit "rm -rf '$ESC'"
chmod 0777 "$ESC"
# A host dir a `relative` bind source tries to reach.
SECRET=$(mktemp -d /tmp/cnt-secret.XXXXXX)
on_exit "rm -rf '$SECRET'"
touch "$SECRET/host-secret"
# The idmapped container's root (an unprivileged host uid) must reach the bind source and fstab.
chmod 0755 "$SECRET" "$T_DIR"
UP=../../../../../../../../../../../../..   # deeper than any rootfs: climbs to the host's /

# What an escape would change: the suite's host state, the target dirs, the host's mounts on
# them and on /, /etc and /dev (not all the host's mounts: other tests come and go meanwhile).
host_view() {
    sec_host_state
    find "$ESC" "$SECRET" -mindepth 1
    awk '{print $5}' /proc/self/mountinfo |
        grep -e "^$ESC" -e "^$SECRET" -e '^/$' -e '^/etc' -e '^/dev' | sort
}

# The rootfs back to its pristine shape around every planted path.
reset_rootfs() {
    rm -rf "$R/mnt" "$R/dev" "$R/proc" "$R/sys" "$R/link" "$R/tmp"
    mkdir -p "$R/mnt" "$R/dev" "$R/proc" "$R/sys" "$R/tmp"
    [ "$kind" = idmap ] && chown "$SEC_IDMAP_BASE:$SEC_IDMAP_BASE" "$R/mnt" "$R/dev" "$R/proc" "$R/sys" "$R/tmp"
    return 0
}
# plant LINK TARGET: a symlink in the rootfs, owned by the container's root.
plant() {
    mkdir -p "$(dirname "$R/$1")"
    ln -sfn "$2" "$R/$1"
    [ "$kind" = idmap ] && chown -h "$SEC_IDMAP_BASE:$SEC_IDMAP_BASE" "$R/$1" "$(dirname "$R/$1")"
    return 0
}

# in_rootfs DIR: DIR made inside the rootfs (where a planted link leads when it is resolved
# there), owned by the container's root.
in_rootfs() {
    mkdir -p "$R$1"
    [ "$kind" = idmap ] && chown -R "$SEC_IDMAP_BASE:$SEC_IDMAP_BASE" "$R/tmp"
    return 0
}

write_config() {
    local idmap
    mapfile -t idmap < <(sec_idmap_lines "$kind")
    ct_config "$n" "lxc.pty.max = 4" "lxc.tty.max = 1" "lxc.net.0.type = empty" \
        ${idmap[@]+"${idmap[@]}"} "$@"
}
# The "file:N" of the first config line containing $1.
line_of() { echo "$LXCPATH/$n/config:$(grep -n -F -- "$1" "$LXCPATH/$n/config" | head -1 | cut -d: -f1)"; }

# attempt DESC PATH CHECK [config lines...]: start; on success CHECK (a command) must hold,
# on failure the error must name PATH (and $WHERE when set: the config or fstab line).
attempt() {
    local desc=$1 path=$2 check=$3 before after rc; shift 3
    write_config "$@"
    before=$(host_view)
    OUT=$(cnt-start -P "$LXCPATH" -n "$n" -d 2>&1); rc=$?
    if [ $rc = 0 ]; then
        eval "$check" || fail "$kind/$desc: started, but not [$check]"
        cnt-stop -P "$LXCPATH" -n "$n" -k >/dev/null 2>&1
        echo "$kind/$desc: started, made inside"
    else
        assert_contains "$OUT" "\"$path\"" "$kind/$desc: the error names the path"
        [ -z "${WHERE:-}" ] || assert_contains "$OUT" "$WHERE" "$kind/$desc: the error names the line"
        echo "$kind/$desc: refused: $OUT"
    fi
    after=$(host_view)
    [ "$before" = "$after" ] || fail "$kind/$desc: the host changed: $(diff <(echo "$before") <(echo "$after"))"
    [ -z "$(ls -A "$ESC")" ] || fail "$kind/$desc: made on the host: $(ls -A "$ESC")"
    WHERE=
}

for kind in $(sec_kinds); do
    n=esc$kind$$
    mkdir -p "$LXCPATH/$n"
    R="$LXCPATH/$n/rootfs"
    mk_busybox_rootfs "$R"
    [ "$kind" = idmap ] && sec_shift_rootfs "$R"
    on_exit "cnt-stop -P '$LXCPATH' -n '$n' -k"
    auto="lxc.mount.auto = proc:mixed sys:ro"
    # One symlink each way: absolute into the host dir, relative climbing to it.
    for how in abs rel; do
        if [ $how = abs ]; then to=$ESC; else to=$UP$ESC; fi

        # lxc.mount.entry, create=dir and create=file through an intermediate symlink.
        for create in dir file; do
            reset_rootfs; plant mnt/esc "$to"
            if [ $create = dir ]; then e="tmpfs mnt/esc/sub tmpfs create=dir 0 0"
            else e="$SECRET/host-secret mnt/esc/sub none bind,create=file 0 0"; fi
            write_config "$auto" "lxc.mount.entry = $e"; WHERE=$(line_of "$e")
            attempt "$how entry create=$create" /mnt/esc/sub "[ -e '$R$ESC/sub' ]" "$auto" "lxc.mount.entry = $e"
            # The same with the link's target made inside the rootfs: the start works.
            in_rootfs "$ESC"
            attempt "$how entry create=$create, target in the rootfs" /mnt/esc/sub \
                "[ -e '$R$ESC/sub' ]" "$auto" "lxc.mount.entry = $e"
        done

        # lxc.mount.fstab, the same attack.
        reset_rootfs; plant mnt/esc "$to"
        echo "tmpfs mnt/esc/sub tmpfs create=dir 0 0" > "$T_DIR/fstab"
        WHERE="$T_DIR/fstab:1"
        attempt "$how fstab create=dir" /mnt/esc/sub "[ -d '$R$ESC/sub' ]" "$auto" "lxc.mount.fstab = $T_DIR/fstab"

        # A `relative` bind source leaving the rootfs, by .. and by a symlink.
        reset_rootfs; plant link "$([ $how = abs ] && echo "$SECRET" || echo "$UP$SECRET")"
        e="link mnt/src none bind,relative,create=dir 0 0"
        write_config "$auto" "lxc.mount.entry = $e"; WHERE=$(line_of "$e")
        attempt "$how relative source" /link "! cnt-attach -P '$LXCPATH' -n '$n' -- ls /mnt/src | grep -q host-secret" \
            "$auto" "lxc.mount.entry = $e"
        e="$UP$SECRET mnt/src none bind,relative,create=dir 0 0"
        write_config "$auto" "lxc.mount.entry = $e"; WHERE=$(line_of "$e")
        attempt "$how relative source by .." "/$UP$SECRET" \
            "! cnt-attach -P '$LXCPATH' -n '$n' -- ls /mnt/src | grep -q host-secret" "$auto" "lxc.mount.entry = $e"

        # /dev itself a symlink, autodev off: console, tty1 and pts go where it leads.
        reset_rootfs; rm -rf "$R/dev"; plant dev "$to"
        attempt "$how /dev, autodev off" /dev "[ -f '$R$ESC/console' ]" "$auto" "lxc.autodev = 0"
        in_rootfs "$ESC"
        attempt "$how /dev, autodev off, target in the rootfs" /dev \
            "[ -f '$R$ESC/console' ] && [ -f '$R$ESC/tty1' ] && [ -d '$R$ESC/pts' ]" "$auto" "lxc.autodev = 0"

        # What is in /dev, autodev off.
        # pts is resolved (a dangling link: refused); console, tty1 and ptmx are replaced.
        for p in dev/pts dev/console dev/tty1 dev/ptmx; do
            reset_rootfs; plant "$p" "$to/${p#dev/}"
            case $p in
            dev/pts) check="[ -d '$R$ESC/pts' ]" ;;
            dev/ptmx) check="[ \"\$(readlink '$R/$p')\" = pts/ptmx ]" ;;
            *) check="[ -f '$R/$p' ] && [ ! -L '$R/$p' ]" ;;
            esac
            attempt "$how /$p, autodev off" "/$p" "$check" "$auto" "lxc.autodev = 0"
        done
        # lxc.tty.dir a symlink, with and without autodev.
        for autodev in 0 1; do
            reset_rootfs; plant dev/lxc "$to"
            attempt "$how tty.dir, autodev $autodev" /dev/lxc "true" "$auto" "lxc.autodev = $autodev" "lxc.tty.dir = lxc"
        done

        # The lxc.mount.auto mount points.
        reset_rootfs; rm -rf "$R/proc"; plant proc "$to"
        attempt "$how /proc" /proc "true" "$auto"
        reset_rootfs; rm -rf "$R/sys"; plant sys "$to"
        attempt "$how /sys" /sys "true" "$auto"
        # /sys/fs/cgroup, with no sysfs over it.
        if [ -d /sys/fs/cgroup/memory ] || grep -q ' /sys/fs/cgroup cgroup2 ' /proc/self/mountinfo; then
            reset_rootfs; plant sys/fs "$to"
            attempt "$how /sys/fs/cgroup" /sys/fs/cgroup "true" "lxc.mount.auto = proc:mixed cgroup:mixed"
            in_rootfs "$ESC/cgroup"
            attempt "$how /sys/fs/cgroup, target in the rootfs" /sys/fs/cgroup \
                "true" "lxc.mount.auto = proc:mixed cgroup:mixed"
        fi
    done
    sec_end "$n"
done
exit 0
