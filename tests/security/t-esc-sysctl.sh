#!/usr/bin/env bash
# Escape: the host's kernel settings written from inside (core_pattern runs a host command as
# root at the next crash). proc:mixed keeps /proc/sys and sysrq-trigger read-only, the busybox
# template's boot never stacks a writable procfs over them, and in an idmapped container the
# kernel refuses a fresh procfs and the writes themselves.
. "$(dirname "$0")/../integration/lib.sh"
need_root
need_cmd cc
before=$(sec_host_state)
for k in $(sec_kinds); do
    n=c$$$k
    sec_container "$n" "$k"
    sec_in "$n" sh -c 'id -u; grep -c " /proc proc " /proc/mounts'
    assert_eq "$OUT" "0
1" "$k: root inside, and one procfs at /proc after the boot"
    # A privileged root keeping CAP_SYS_ADMIN can mount a procfs of its own (cnt(7), SECURITY):
    # that attempt runs only where the kernel must refuse it.
    if [ "$k" = idmap ]; then sec_attack "$n" sysctl fresh-proc; else sec_attack "$n" sysctl; fi
    assert_contains "$OUT" "denied: write /proc/sys/kernel/core_pattern"
    # What the container may still do: read them, and set its own hostname (its uts ns).
    sec_in "$n" sh -c 'cat /proc/sys/kernel/ostype && hostname inside-$$'
    assert_eq "$RC" 0 "$k: reading /proc/sys ($OUT)"
    sec_end "$n"
done
assert_eq "$(sec_host_state)" "$before" "host state after the attacks"
exit 0
