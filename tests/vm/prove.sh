#!/usr/bin/env bash
# Debian 12's prove must consume a scenario executable's TAP with no parse
# errors, and report it as passing.
#   prove.sh SCENARIO_EXE
set -u
out=$(mktemp); trap 'rm -f "$out"' EXIT
prove -v -e '' "$1" >"$out" 2>&1
rc=$?
cat "$out"
grep -qi 'parse error' "$out" && { echo "prove.sh: FAIL: parse errors" >&2; exit 1; }
[ "$rc" -eq 0 ] || { echo "prove.sh: FAIL: prove exit $rc" >&2; exit 1; }
grep -q '^Result: PASS' "$out" || { echo "prove.sh: FAIL: no 'Result: PASS'" >&2; exit 1; }
echo "prove.sh: ok"
