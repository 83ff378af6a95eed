# cnt-user-nic, the setuid helper, against hostile callers. Installed by `make install
# DESTDIR=` (so the install rule's mode 4755 is what runs), called by real test users, each
# with its own `unshare --user --map-root-user --net` namespace. A granted bridge works: the
# peer appears, named, in the caller's netns and the host end on the bridge. Refused, with
# nothing made: a user without a grant, a quota reached (and given back once the veth is
# gone), a bridge not granted, a device that is not a bridge, a netns the caller does not own
# (root's process, another user's, the caller's own process in root's netns or the host's),
# bogus names, pids, types and paths, a copy that is not setuid root.
. "$(dirname "$0")/../integration/lib.sh"
need_root
need_cmd setpriv
need_cmd unshare
need_cmd nsenter
need_cmd ip
need_cmd flock

# The helper as `make install` lays it out, where the test users can reach it.
inst=$(mktemp -d /tmp/cnt-un.XXXXXX)
on_exit "rm -rf '$inst'"
chmod 755 "$inst"
env -u MAKEFLAGS -u MFLAGS -u MAKELEVEL make -s -C "$TOP" install DESTDIR="$inst" >/dev/null ||
    fail "make install DESTDIR=$inst"
NIC=$(find "$inst" -path '*/bin/cnt-user-nic')
assert_eq "$(stat -c '%a %U' "$NIC")" "4755 root" "installed mode of cnt-user-nic"
find "$inst" -type d -exec chmod 755 {} +

BR=unb$$ BR2=unc$$ NB=unv$$
on_exit "ip link del $BR; ip link del $BR2; ip link del $NB"
ip link add "$BR" type bridge || fail "making bridge $BR"
ip link add "$BR2" type bridge || fail "making bridge $BR2"
ip link add "$NB" type veth peer name unw$$ || fail "making veth $NB"

# Two users: U1 granted one veth on BR and one on NB (not a bridge); U2 one on BR2.
make_test_user un2-
U2=$TU_NAME U2UID=$TU_UID U2GID=$TU_GID
make_test_user un-
U1=$TU_NAME U1UID=$TU_UID
grants=/etc/cnt/cnt-usernet
[ -d /etc/cnt ] || { mkdir /etc/cnt && on_exit "rmdir /etc/cnt"; }
[ -e $grants ] || { install -m 644 /dev/null $grants && on_exit "[ -s $grants ] || rm -f $grants"; }
on_exit "flock /tmp/cnt-usernet.lock sed -i '/\\(^\\|# \\)un2\\?-$$ /d' $grants"
flock /tmp/cnt-usernet.lock sh -c "printf '%s\n' '$U1 veth $BR 1' '# $U1 comment' '$U1 veth $NB 1' '$U2 veth $BR2 1' >> $grants"
# The helper's state: our users' lines go at exit (the helper drops them anyway once the
# interfaces are gone).
on_exit "[ -f /run/cnt/cnt-user-nic.lock ] && flock /run/cnt/cnt-user-nic.lock sed -i '/^\($U1UID\|$U2UID\) /d' /run/cnt/cnt-user-nic.state"

# Processes by pid: each user's own userns+netns, and traps.
pids=()
on_exit 'for p in "${pids[@]}"; do kill -9 "$p"; done'
# start_sleep UID GID [unshare args]: a sleep (setpriv exec's unshare exec's sleep); pid in $SP,
# returned once it runs in its namespaces.
start_sleep() {
    local u=$1 g=$2 i; shift 2
    if [ "$u" = 0 ]; then unshare "$@" sleep 600 & else
        setpriv --reuid="$u" --regid="$g" --init-groups -- unshare "$@" sleep 600 & fi
    SP=$!; pids+=("$SP")
    for ((i = 0; i < 100; i++)); do
        [ "$(cat "/proc/$SP/comm" 2>/dev/null)" = sleep ] && return
        sleep 0.05
    done
    fail "sleep did not start"
}
start_sleep "$U1UID" "$TU_GID" --user --map-root-user --net; P1=$SP
start_sleep "$U2UID" "$U2GID" --user --map-root-user --net; P2=$SP
as_u1() { setpriv --reuid="$U1UID" --regid="$TU_GID" --init-groups -- "$@"; }
as_u2() { setpriv --reuid="$U2UID" --regid="$U2GID" --init-groups -- "$@"; }
links_in() { nsenter -t "$1" -n ip -o link show | awk -F': ' '{print $2}' | sed 's/@.*//' | sort | tr '\n' ' '; }
ports() { ip -o link show master "$1" | awk -F': ' '{print $2}' | sed 's/@.*//' | sort | tr '\n' ' '; }

# Granted: eth0 appears in U1's netns, the host end on the bridge.
expect_rc 0 as_u1 "$NIC" create "$LXCPATH" un1 "$P1" veth "$BR" eth0
host=${OUT#eth0 }
assert_eq "$(links_in "$P1")" "eth0 lo " "links in the caller's netns"
assert_eq "$(ports "$BR")" "$host " "ports of $BR"
assert_contains "$(ip -o link show "$host" | grep -o '<[^>]*>')" ",UP>" "host end up"

# A refusal leaves the caller's netns, the bridges and the host as they were.
before_links=$(links_in "$P1") before_host=$(ip -o link show | awk -F': ' '{print $2}' | sort)
refused() {
    local want=$1; shift
    expect_rc 1 "$@"
    assert_contains "$OUT" "$want" "refusal of: $*"
    assert_eq "$(links_in "$P1")" "$before_links" "links in U1's netns after: $*"
    assert_eq "$(ip -o link show | awk -F': ' '{print $2}' | sort)" "$before_host" "host links after: $*"
}

refused "quota of 1 veth(s) on bridge \"$BR\" reached" as_u1 "$NIC" create "$LXCPATH" un1 "$P1" veth "$BR" eth1
refused "is not granted a veth on bridge \"$BR2\"" as_u1 "$NIC" create "$LXCPATH" un1 "$P1" veth "$BR2" eth1
refused "is not granted a veth on bridge \"$BR\"" as_u2 "$NIC" create "$LXCPATH" un2 "$P2" veth "$BR" eth1
refused "\"$NB\" is not a bridge" as_u1 "$NIC" create "$LXCPATH" un1 "$P1" veth "$NB" eth1

# Netns the caller does not own. U2 is granted BR2: the ownership checks are what refuse.
refused "process $P1 is not yours" as_u2 "$NIC" create "$LXCPATH" un2 "$P1" veth "$BR2" eth1
start_sleep 0 0 --net; R1=$SP
refused "process $R1 is not yours" as_u2 "$NIC" create "$LXCPATH" un2 "$R1" veth "$BR2" eth1
refused "is not yours" as_u2 "$NIC" create "$LXCPATH" un2 1 veth "$BR2" eth1
# U2's own process in a netns root made, and in the host's: not a netns of U2's.
unshare --net setpriv --reuid="$U2UID" --regid="$U2GID" --init-groups -- sleep 600 &
R2=$!; pids+=("$R2")
for ((i = 0; i < 100; i++)); do [ "$(cat "/proc/$R2/comm" 2>/dev/null)" = sleep ] && break; sleep 0.05; done
refused "not owned by a user namespace of yours" as_u2 "$NIC" create "$LXCPATH" un2 "$R2" veth "$BR2" eth1
start_sleep "$U2UID" "$U2GID"; H2=$SP
refused "not owned by a user namespace of yours" as_u2 "$NIC" create "$LXCPATH" un2 "$H2" veth "$BR2" eth1
refused "process 999999" as_u2 "$NIC" create "$LXCPATH" un2 999999 veth "$BR2" eth1

# Bogus arguments (U2 is granted BR2 and owns P2: only the argument is wrong).
for nic in 'eth0;x' 'averyveryverylongname' '../x' 'a/b' '.' '' 'eth 0' $'eth\n0'; do
    refused "invalid nic name" as_u2 "$NIC" create "$LXCPATH" un2 "$P2" veth "$BR2" "$nic"
done
for br in "$BR2;" '' "$BR2/../x"; do
    refused "invalid bridge name" as_u2 "$NIC" create "$LXCPATH" un2 "$P2" veth "$br" eth1
done
for pid in 0 -1 "0$P2" "+$P2" "$P2 " 0x10 1e3 99999999999 ''; do
    refused "invalid pid" as_u2 "$NIC" create "$LXCPATH" un2 "$pid" veth "$BR2" eth1
done
refused "invalid container name" as_u2 "$NIC" create "$LXCPATH" ../x "$P2" veth "$BR2" eth1
refused "invalid lxcpath" as_u2 "$NIC" create relative un2 "$P2" veth "$BR2" eth1
refused "only type veth" as_u2 "$NIC" create "$LXCPATH" un2 "$P2" macvlan "$BR2" eth1
refused "usage" as_u2 "$NIC" delete "$LXCPATH" un2 "$P2" veth "$BR2" eth1
refused "usage" as_u2 "$NIC" create "$LXCPATH" un2 "$P2" veth
# The environment is not read: libnl's NLCB=debug and NLDBG would dump every netlink message
# (read by libnl's constructors: the helper's runs first), CNT_CONF is not looked at.
refused "\"$NB\" is not a bridge" as_u1 env NLDBG=7 NLCB=debug CNT_CONF=/nonexistent "$NIC" create "$LXCPATH" un1 "$P1" veth "$NB" eth1
assert_eq "$(printf '%s\n' "$OUT" | wc -l)" 1 "one line of output with a hostile environment: $OUT"
# The build tree's copy is not setuid: it says so and does nothing.
refused "must be installed setuid root" as_u2 "$TOP/bin/cnt-user-nic" create "$LXCPATH" un2 "$P2" veth "$BR2" eth1

# U2's grant works for its own netns (eth1 as asked), and the quota comes back once the veth
# is gone (the helper drops state entries whose interface no longer exists).
expect_rc 0 as_u2 "$NIC" create "$LXCPATH" un2 "$P2" veth "$BR2" eth1
h2=${OUT#eth1 }
assert_eq "$(links_in "$P2")" "eth1 lo " "links in U2's netns"
expect_rc 1 as_u2 "$NIC" create "$LXCPATH" un2 "$P2" veth "$BR2" eth2
ip link del "$h2" || fail "deleting $h2"
expect_rc 0 as_u2 "$NIC" create "$LXCPATH" un2 "$P2" veth "$BR2" eth2
assert_eq "$(links_in "$P2")" "eth2 lo " "links in U2's netns after the quota came back"
grep -q "^$U2UID $BR2 veth[A-Za-z0-9]* un2\$" /run/cnt/cnt-user-nic.state || fail "state file: $(cat /run/cnt/cnt-user-nic.state)"
assert_eq "$(grep -c "^$U2UID " /run/cnt/cnt-user-nic.state)" 1 "U2's entries in the state file"

# The veths die with their netns.
for p in "${pids[@]}"; do kill -9 "$p"; wait "$p" 2>/dev/null; done
pids=()
for ((i = 0; i < 100; i++)); do [ -z "$(ports "$BR")$(ports "$BR2")" ] && break; sleep 0.05; done
assert_eq "$(ports "$BR")$(ports "$BR2")" "" "bridge ports after the netns are gone"
exit 0
