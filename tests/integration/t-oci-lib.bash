# Sourced by the cnt-oci tests (t-oci-*.sh) after lib.sh: a bundle with a busybox rootfs and
# `cnt-oci spec`'s config.json, a private state root, and a check that nothing is left.
need_root
need_cmd busybox
need_cmd python3
OCI_ROOT="$T_DIR/oci-state"
OCI=(cnt-oci --root "$OCI_ROOT")

# oci_bundle DIR: DIR/rootfs (busybox-static and its links) and DIR/config.json.
oci_bundle() {
    local d=$1 a
    mkdir -p "$d/rootfs/bin" "$d/rootfs/proc" "$d/rootfs/sys" "$d/rootfs/dev" \
        "$d/rootfs/etc" "$d/rootfs/tmp" || fail "making $d"
    cp "$(command -v busybox)" "$d/rootfs/bin/busybox" || fail "copying busybox"
    for a in $("$d/rootfs/bin/busybox" --list); do
        [ "$a" = busybox ] || ln -s busybox "$d/rootfs/bin/$a"
    done
    (cd "$d" && cnt-oci spec) || fail "cnt-oci spec"
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
