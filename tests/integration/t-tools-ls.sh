# cnt-ls: names, filters, columns, --json, broken configs.
. "$(dirname "$0")/lib.sh"
P=(-P "$LXCPATH")

expect_rc 0 cnt-ls "${P[@]}"
assert_eq "$OUT" "" "empty lxcpath lists nothing"

define alpha$$
define beta$$
define web$$
mkdir -p "$LXCPATH/notacontainer$$"   # no config: not listed

expect_rc 0 cnt-ls "${P[@]}" -1
assert_eq "$OUT" "$(printf '%s\n' alpha$$ beta$$ web$$)" "-1 lists defined containers sorted"
expect_rc 0 cnt-ls "${P[@]}"
assert_contains "$OUT" "alpha$$"
assert_contains "$OUT" "web$$"
assert_not_contains "$OUT" "notacontainer"
# Regex filter, positional or --filter (POSIX extended, unanchored).
expect_rc 0 cnt-ls "${P[@]}" -1 '^(alpha|web)'
assert_eq "$OUT" "$(printf '%s\n' alpha$$ web$$)"
expect_rc 0 cnt-ls "${P[@]}" -1 --filter 'et'
assert_eq "$OUT" "beta$$"
expect_rc 1 cnt-ls "${P[@]}" -1 '('
assert_contains "$OUT" "invalid regular expression"

# Columns that need no config.
expect_rc 0 cnt-ls "${P[@]}" -F NAME,STATE,PID
assert_eq "$(echo "$OUT" | head -1 | tr -s ' ')" "NAME STATE PID"
assert_contains "$OUT" "web$$"
assert_eq "$(echo "$OUT" | awk -v n=web$$ '$1==n {print $2, $3}')" "STOPPED -"
expect_rc 0 cnt-ls "${P[@]}" -F name,nosuch
assert_contains "$OUT" "Invalid key: NOSUCH"
# State filters.
expect_rc 0 cnt-ls "${P[@]}" -1 --stopped
assert_eq "$(echo "$OUT" | wc -l)" 3
expect_rc 0 cnt-ls "${P[@]}" -1 --running
assert_eq "$OUT" ""
expect_rc 0 cnt-ls "${P[@]}" -1 --active
assert_eq "$OUT" ""

# Many containers: names come from one directory scan, no config parsed for -1.
mkdir -p "$T_DIR/many"
for i in $(seq 500); do mkdir "$T_DIR/many/c$i" && : > "$T_DIR/many/c$i/config"; done
expect_rc 0 cnt-ls -P "$T_DIR/many" -1
assert_eq "$(echo "$OUT" | wc -l)" 500 "500 defined containers"
expect_rc 0 cnt-ls -P "$T_DIR/many" -F NAME,STATE --stopped
assert_eq "$(echo "$OUT" | wc -l)" 501 "500 rows and a header"


define grp$$ "lxc.group = onboot" "lxc.group = web" "lxc.start.auto = 1"
define priv$$ "lxc.idmap = u 0 100000 65536" "lxc.idmap = g 0 100000 65536"
mkdir -p "$LXCPATH/broken$$" && echo "lxc.no.such.key = 1" > "$LXCPATH/broken$$/config"

expect_rc 0 cnt-ls "${P[@]}" -f
assert_eq "$(cnt-ls "${P[@]}" -f 2>/dev/null | head -1 | tr -s ' ')" "NAME STATE AUTOSTART GROUPS IPV4 IPV6 UNPRIVILEGED"
assert_contains "$OUT" "Failed to load config for broken$$"
assert_eq "$(echo "$OUT" | awk -v n=grp$$ '$1==n {print $2, $3, $4, $5, $6, $7}')" "STOPPED 1 onboot,web - - false"
assert_eq "$(echo "$OUT" | awk -v n=priv$$ '$1==n {print $7}')" "true"
rm -rf "$LXCPATH/broken$$"
expect_rc 0 cnt-ls "${P[@]}" -1 -g web
assert_eq "$OUT" "grp$$"
expect_rc 0 cnt-ls "${P[@]}" -1 -g web,nosuch
assert_eq "$OUT" ""

# --json: valid JSON, one object per loadable container, every key.
json=$(cnt-ls "${P[@]}" --json 2>/dev/null) || fail "cnt-ls --json failed"
echo "$json" | python3 -m json.tool >/dev/null || fail "cnt-ls --json is not JSON: $json"
echo "$json" | python3 -c '
import json, sys
d = json.load(sys.stdin)
names = [c["name"] for c in d]
assert "grp'$$'" in names and "broken'$$'" not in names, names
for c in d:
    assert set(c) == {"name","state","pid","ram","swap","autostart","groups","interfaces","ipv4","ipv6","unprivileged"}, c
g = [c for c in d if c["name"] == "grp'$$'"][0]
assert g["autostart"] is True and g["groups"] == ["onboot", "web"] and g["state"] == "STOPPED" and g["pid"] is None, g
' || fail "cnt-ls --json content"

# Running state from the run-state file; needs the runtime's Container::state().
sleep 300 & sp=$!
on_exit "kill $sp"
fake_state web$$ RUNNING $sp
on_exit "rm -rf '$(run_dir web$$)'"
expect_rc 0 cnt-ls "${P[@]}" -1 --running
assert_eq "$OUT" "web$$"
expect_rc 0 cnt-ls "${P[@]}" -F NAME,STATE,PID web$$
assert_eq "$(echo "$OUT" | awk -v n=web$$ '$1==n {print $2, $3}')" "RUNNING $sp"
