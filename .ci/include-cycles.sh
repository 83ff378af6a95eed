#!/usr/bin/env bash
# No include cycle between the folders of libcore/ (`make lint` runs this): folder A depends on
# folder B when a file in A has `#include "B/..."`; those dependencies must form no loop, so
# that each folder can be read (and built, and tested) on top of the ones it uses. Prints the
# folders of a loop, with the includes that make it, and fails.
# Usage: .ci/include-cycles.sh [LIBCORE_DIR]   (default: libcore of this tree)
set -euo pipefail
cd "$(dirname "$0")/.."
top=${1:-libcore}

# "from to file" for every include of another folder's header.
includes=$(grep -rEo --include='*.cpp' --include='*.hpp' --include='*.h' \
    '^[[:space:]]*#[[:space:]]*include[[:space:]]*"[A-Za-z0-9_]+/' "$top" |
    sed -E "s#^$top/([^/]+)/([^:]*):.*\"([^/]+)/\$#\\1 \\3 \\1/\\2#" |
    while read -r from to file; do
        [ "$from" != "$to" ] && [ -d "$top/$to" ] && echo "$from $to $file"
    done | sort -u || true)

# tsort names the folders of a loop on stderr, one per line after "input contains a loop".
if loop=$(cut -d' ' -f1,2 <<<"$includes" | sort -u | tsort 2>&1 >/dev/null) && [ -z "$loop" ]
then
    echo "include-cycles: $(find "$top" -mindepth 1 -maxdepth 1 -type d | wc -l) folders," \
        "$(cut -d' ' -f1,2 <<<"$includes" | sort -u | wc -l) dependencies, no cycle"
    exit 0
fi
members=$(sed -n 's/^tsort: //p' <<<"$loop" | grep -v 'input contains a loop' | sort -u)
echo "include-cycles: the folders of $top include each other in a loop:" $members >&2
# The includes between members of the loop, to say which lines to move.
while read -r from to file; do
    grep -qx "$from" <<<"$members" && grep -qx "$to" <<<"$members" &&
        echo "  $file includes $to/" >&2
done <<<"$includes"
exit 1
