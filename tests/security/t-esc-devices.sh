#!/usr/bin/env bash
# Escape: host devices from inside. The default device list refuses making or opening any node
# but null, zero, full, random, urandom, tty, console, ptmx, the ptys, fuse and tun: the host's
# root disk, /dev/kmsg and /dev/mem stay out of reach even to a privileged root.
. "$(dirname "$0")/../integration/lib.sh"
need_root
need_cmd cc
# The host's root disk as major:minor (the filesystem / lives on).
disk=$(awk '$5 == "/" {print $3; exit}' /proc/self/mountinfo)
maj=${disk%:*} min=${disk#*:}
before=$(sec_host_state)
log_before=$(dmesg 2>/dev/null | grep -c cnt-escape-kmsg)
for k in $(sec_kinds); do
    n=c$$$k
    sec_container "$n" "$k"
    sec_attack "$n" devices "$maj" "$min"
    # In the privileged container it is the device rules that refuse (mknod is EPERM).
    assert_contains "$OUT" "denied: read the host's root disk through a new node: Operation not permitted"
    # The allowed devices work, through their nodes in the container's /dev.
    sec_in "$n" sh -c 'head -c 4 /dev/urandom | wc -c; echo x > /dev/null; echo y > /dev/tty1 && echo tty'
    assert_eq "$OUT" "4
tty" "$k: allowed devices"
    sec_end "$n"
done
assert_eq "$(dmesg 2>/dev/null | grep -c cnt-escape-kmsg)" "$log_before" "nothing injected into the host log"
assert_eq "$(sec_host_state)" "$before" "host state after the attacks"
exit 0
