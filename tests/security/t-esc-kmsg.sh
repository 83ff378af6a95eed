#!/usr/bin/env bash
# Escape: the host's kernel log read or written from inside (/proc/kmsg, syslog(2), /dev/kmsg).
# proc:mixed masks /proc/kmsg, the seccomp policy refuses syslog(2), and the device list keeps
# /dev/kmsg out.
. "$(dirname "$0")/../integration/lib.sh"
need_root
need_cmd cc
before=$(sec_host_state)
log_before=$(dmesg 2>/dev/null | grep -c cnt-escape-kmsg)
for k in $(sec_kinds); do
    n=c$$$k
    sec_container "$n" "$k"
    sec_attack "$n" kmsg
    sec_end "$n"
done
assert_eq "$(dmesg 2>/dev/null | grep -c cnt-escape-kmsg)" "$log_before" "nothing injected into the host log"
assert_eq "$(sec_host_state)" "$before" "host state after the attacks"
exit 0
