#!/usr/bin/env bash
# Escape: mounts made inside reaching the host's mount table (every mount of init's namespace is
# made private before the rootfs is bound, so neither a mount nor `mount --make-rshared` inside
# propagates out).
. "$(dirname "$0")/../integration/lib.sh"
need_root
host_mounts() { grep -c cnt-escape /proc/self/mountinfo; }
before=$(sec_host_state)
mounts_before=$(host_mounts)
for k in $(sec_kinds); do
    n=c$$$k
    sec_container "$n" "$k"
    sec_in "$n" sh -c 'mount --make-rshared / 2>&1; mount -t tmpfs cnt-escape-a /mnt &&
        mkdir -p /tmp/b && mount -t tmpfs cnt-escape-b /tmp/b && mount --bind /tmp/b /mnt &&
        grep -c cnt-escape /proc/mounts'
    assert_eq "$RC" 0 "$k: mounting inside ($OUT)"
    assert_eq "$(host_mounts)" "$mounts_before" "$k: the host sees none of the container's mounts"
    # Nor does the host's own view of the rootfs change.
    assert_eq "$(ls "$LXCPATH/$n/rootfs/mnt" | wc -l)" 0 "$k: /mnt on the host side"
    sec_end "$n"
done
assert_eq "$(host_mounts)" "$mounts_before" "host mounts after the containers stopped"
assert_eq "$(sec_host_state)" "$before" "host state after the attacks"
exit 0
