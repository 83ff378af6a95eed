#!/usr/bin/env bash
# cnt-oci with a user namespace (linux.uidMappings/gidMappings): the process runs as the
# mapped host uid, root inside; /dev is made by the creating process (init may not mknod),
# the spec's /dev/shm and /dev/mqueue mounts are there; nothing left.
. "$(dirname "$0")/lib.sh"
oci_setup

B="$T_DIR/bundle"
oci_bundle "$B"
base=$((3000000 + ($$ % 1000) * 65536))
chown -R "$base:$base" "$B/rootfs" || fail "chown"
oci_edit "$B" "
c['linux']['namespaces'].append({'type': 'user'})
c['linux']['uidMappings'] = [{'containerID': 0, 'hostID': $base, 'size': 65536}]
c['linux']['gidMappings'] = [{'containerID': 0, 'hostID': $base, 'size': 65536}]
c['process']['args'] = ['sh', '-c', '''
id -u; awk '{print \$2}' /proc/self/uid_map
awk '\$2 ~ /^\\/dev/ {print \$2, \$3}' /proc/self/mounts
echo x > /dev/null && echo null-ok
exec sleep 1000''']"
c=oci-userns-$$
oci_cleanup $c
"${OCI[@]}" create --bundle "$B" --pid-file "$T_DIR/pid" $c >"$T_DIR/out" 2>&1 </dev/null ||
    fail "create: $(cat "$T_DIR/out")"
expect_rc 0 "${OCI[@]}" start $c
for _ in $(seq 50); do grep -q null-ok "$T_DIR/out" && break; sleep 0.1; done
assert_eq "$(cat "$T_DIR/out")" "0
$base
/dev tmpfs
/dev/pts devpts
/dev/shm tmpfs
/dev/mqueue mqueue
null-ok" "inside the user namespace"
pid=$(cat "$T_DIR/pid")
assert_eq "$(awk '/^Uid:/ {print $2}' "/proc/$pid/status")" "$base" "the host uid of the process"
expect_rc 0 "${OCI[@]}" delete --force $c
oci_leftovers $c
echo "PASS: $T_NAME"
