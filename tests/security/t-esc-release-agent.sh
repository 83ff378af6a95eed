# CVE-2022-0492: a container sets a cgroup v1 release_agent (run by the kernel as host root,
# in the host's namespaces, when a cgroup with notify_on_release empties) to a script of its
# rootfs. As the public exploit: mount a v1 hierarchy (rdma, memory, or a named one), make a
# child cgroup with notify_on_release, write release_agent, empty the child. The agent would
# create a file in a directory of this test; it must never appear, and the write must fail
# (or no mount may offer a release_agent file at all).
. "$(dirname "$0")/../integration/lib.sh"
need_root
grep -q ' - cgroup ' /proc/self/mountinfo || skip "needs cgroup v1 hierarchies"

MARK="$T_DIR/escaped"
host_agents() { cat /sys/fs/cgroup/*/release_agent 2>/dev/null; }
before=$(sec_host_state; host_agents)
names=()
for k in $(sec_kinds); do
    n="cra$$$k"
    names+=("$n")
    sec_container "$n" "$k"
    root="$LXCPATH/$n/rootfs"
    # The agent, where the public exploit puts it: in the container's rootfs, named by its
    # host path (what /etc/mtab's upperdir gives the exploit; here the attacker knows it).
    printf '#!/bin/sh\ntouch %s\n' "$MARK" > "$root/agent"
    chmod 755 "$root/agent"
    chown --reference="$root/bin/busybox" "$root/agent"
    attack='
        for opts in rdma memory none,name=cntesc; do
            d=/tmp/ra-${opts%%,*}
            mkdir -p $d
            if ! mount -t cgroup -o $opts cgroup $d 2>/dev/null; then echo "mount $opts: refused"; continue; fi
            echo "mount $opts: ok"
            mkdir -p $d/x && echo 1 > $d/x/notify_on_release && echo "notify_on_release $opts: ok"
            if [ -e $d/release_agent ]; then
                if echo "$AGENT" > $d/release_agent 2>/dev/null; then echo "release_agent $opts: WRITTEN"
                else echo "release_agent $opts: refused"; fi
            else
                echo "release_agent $opts: absent"
            fi
            sh -c "echo \$\$ > $d/x/cgroup.procs" 2>/dev/null
            rmdir $d/x 2>/dev/null
            umount $d
        done'
    sec_in "$n" env AGENT="$root/agent" sh -c "$attack"
    echo "--- $k:"; printf '%s\n' "$OUT"
    assert_not_contains "$OUT" "WRITTEN" "$k: release_agent written"
    # The kernel runs the agent asynchronously: give it time to show.
    sleep 1
    [ ! -e "$MARK" ] || fail "$k: the release agent ran on the host"
done
assert_eq "$(sec_host_state; host_agents)" "$before" "host state"
sec_end "${names[@]}"
exit 0
