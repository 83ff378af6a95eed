# Differential test: for every config of tests/configs/ and every key, `cnt-info -c KEY` must
# print exactly what LXC 5's `lxc-info -c KEY` prints. Deliberate differences are listed in
# tests/configs/DIFFERENCES.md (lines "- `KEY`" or "- `FILE.conf:KEY`") and skipped.
# Configs under tests/configs/reject/ must fail to load in both.
# lxc-info needs no root here: it only takes a lock file in the (private) lxcpath.
. "$(dirname "$0")/lib.sh"
need_cmd lxc-info
CONFIGS="$TOP/tests/configs"
excluded=$(sed -n 's/^- `\([^`]*\)`.*/\1/p' "$CONFIGS/DIFFERENCES.md")
is_excluded() {  # $1 file, $2 key
    local e
    for e in $excluded; do
        case "$e" in
            *.conf:*) [ "$e" = "$1:$2" ] && return 0 ;;
            *) case "$2" in $e) return 0 ;; esac ;;
        esac
    done
    return 1
}
all_keys=$(cnt-info --list-keys)
compared=0 diffs=0
for f in "$CONFIGS"/*.conf; do
    b=$(basename "$f")
    n="d$$-${b%.conf}"
    mkdir -p "$LXCPATH/$n"
    sed "s|@DIR@|$CONFIGS|g" "$f" > "$LXCPATH/$n/config"
    # The keys of the file itself, every registry key, and net keys of the indexes used.
    keys=$( { echo "$all_keys"
              sed -n 's/^[[:space:]]*\(lxc\.[^=[:space:]]*\).*/\1/p' "$f"
              for i in $(sed -n 's/^[[:space:]]*lxc\.net\.\([0-9]*\)\..*/\1/p' "$f" | sort -u); do
                  echo "$all_keys" | sed -n "s/^lxc\.net\.0\./lxc.net.$i./p"
                  echo "lxc.net.$i"
              done
              echo lxc.net; echo lxc.cgroup; echo lxc.cgroup2; echo lxc.prlimit; echo lxc.sysctl; echo lxc.proc
            } | grep -v '^lxc\.include$' | grep -v '^lxc\.\(utsname\|network\|pts\|tty\|rootfs\|mount\|console\|seccomp\)$' | sort -u)
    args=()
    for k in $keys; do
        is_excluded "$b" "$k" || args+=(-c "$k")
    done
    # One call per tool and config; both print the keys in order, invalid ones on stderr.
    want=$(lxc-info -P "$LXCPATH" -n "$n" "${args[@]}" 2>"$T_DIR/want.err"; echo "rc=$?")
    got=$(cnt-info -P "$LXCPATH" -n "$n" "${args[@]}" 2>"$T_DIR/got.err"; echo "rc=$?")
    compared=$((compared + ${#args[@]} / 2))
    if [ "$want" != "$got" ] || ! cmp -s "$T_DIR/want.err" "$T_DIR/got.err"; then
        diffs=$((diffs + 1))
        echo "DIFF $b:"
        diff <(echo "$want"; cat "$T_DIR/want.err") <(echo "$got"; cat "$T_DIR/got.err") | sed 's/^/    /'
    fi
done
for f in "$CONFIGS"/reject/*.conf; do
    n="r$$-$(basename "$f" .conf)"
    mkdir -p "$LXCPATH/$n"
    cp "$f" "$LXCPATH/$n/config"
    lxc-info -P "$LXCPATH" -n "$n" -c lxc.uts.name >/dev/null 2>&1 && fail "lxc-info accepts $(basename "$f")?"
    expect_rc 1 cnt-info -P "$LXCPATH" -n "$n" -c lxc.uts.name
    compared=$((compared + 1))
done
echo "compared $compared (config, key) pairs, $diffs differences"
[ "$diffs" = 0 ] || fail "$diffs differences with lxc-info"
