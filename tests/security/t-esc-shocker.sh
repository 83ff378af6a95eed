#!/usr/bin/env bash
# Escape: "shocker" (open_by_handle_at with a forged handle opens the host's filesystem root
# from inside; a privileged root has CAP_DAC_READ_SEARCH). The default seccomp policy refuses
# the call; in an idmapped container the kernel refuses it too.
. "$(dirname "$0")/../integration/lib.sh"
need_root
need_cmd cc
before=$(sec_host_state)
for k in $(sec_kinds); do
    n=c$$$k
    sec_container "$n" "$k"
    sec_attack "$n" shocker
    assert_contains "$OUT" "denied: open_by_handle_at: Operation not permitted"
    sec_end "$n"
done
assert_eq "$(sec_host_state)" "$before" "host state after the attacks"
exit 0
