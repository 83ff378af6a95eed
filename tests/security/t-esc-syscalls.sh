#!/usr/bin/env bash
# Escape: system calls that act on the host kernel as a whole (modules, kexec, the keyring,
# the kernel log, swap, accounting, BPF, perf, forced unmounts). The default seccomp denylist
# (config/common.seccomp) answers each with its errno before the kernel acts; other calls work.
. "$(dirname "$0")/../integration/lib.sh"
need_root
need_cmd cc
want="kexec_load EPERM
kexec_file_load EPERM
init_module EPERM
finit_module EPERM
delete_module EPERM
open_by_handle_at EPERM
keyctl ENOSYS
add_key ENOSYS
request_key ENOSYS
syslog EPERM
swapon EPERM
acct EPERM
bpf EPERM
perf_event_open EPERM
umount2_force EACCES
getpid OK
umount2 ENOENT"
before=$(sec_host_state)
for k in $(sec_kinds); do
    n=c$$$k
    sec_container "$n" "$k"
    sec_in "$n" grep -E '^(Seccomp|NoNewPrivs):' /proc/1/status
    assert_contains "$OUT" "Seccomp:	2" "$k: init runs under the filter"
    sec_exploit syscalls "$n"
    sec_in "$n" /bin/syscalls
    assert_eq "$RC" 0 "$k: $OUT"
    assert_eq "$OUT" "$want" "$k: each call's answer"
    sec_end "$n"
done
assert_eq "$(sec_host_state)" "$before" "host state after the attacks"
exit 0
