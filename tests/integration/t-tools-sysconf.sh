# cnt.conf ($CNT_CONF) that cannot be read or has a bad line: every tool fails with the file
# (and line), with -P as without it, and makes nothing in the default run dir.
. "$(dirname "$0")/lib.sh"
mkdir -p "$LXCPATH/a$$" && : > "$LXCPATH/a$$/config"
printf '[paths]\nrundir = /run/cnt-test/%s\nbogus = 1\n' "$(basename "$T_DIR")" > "$T_DIR/bad.conf"
for conf in "$T_DIR/missing.conf" "$T_DIR/bad.conf"; do
    case $conf in *missing*) want="reading $conf: No such file or directory";;
                  *) want="$conf:3: unknown setting \"bogus\" in section [paths]";; esac
    for t in "cnt-info -s" "cnt-stop -k" "cnt-ls" "cnt-freeze"; do
        P=(-P "$LXCPATH"); case $t in cnt-ls) ;; *) P+=(-n "a$$");; esac
        expect_rc 1 env CNT_CONF="$conf" $t "${P[@]}"
        assert_contains "$OUT" "${t%% *}: $want" "$t -P with $(basename "$conf")"
        [ "$t" = cnt-ls ] && continue
        expect_rc 1 env CNT_CONF="$conf" $t -n "a$$"
        assert_contains "$OUT" "$want" "$t without -P with $(basename "$conf")"
    done
done
# Nothing went to the default run dir (the hash of this lxcpath).
d=$(cnt-info -P "$LXCPATH" -n a$$ --run-dir)
[ ! -e "/run/cnt/$(basename "$(dirname "$d")")" ] || fail "a run dir was made under /run/cnt"
exit 0
