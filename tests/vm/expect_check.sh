#!/usr/bin/env bash
# Run a scenario with --keep and check what it says: its exit status, and
# lines of its TAP stream or of the run directory's dump.txt.
#   expect_check.sh EXIT_STATUS SCENARIO_EXE PATTERN_FILE
# PATTERN_FILE has one extended regex per line ('#' lines and blank lines
# are skipped); each must match at least one line of the TAP output or of
# dump.txt (whose lines have no '# ' prefix).
set -u
want_rc=$1 exe=$2 patterns=$3
runs=$(mktemp -d); out=$(mktemp)
trap 'rm -rf "$runs" "$out"' EXIT
"$exe" --keep --runs-dir="$runs" >"$out" 2>&1
rc=$?
cat "$out"
fail() { echo "expect_check.sh: FAIL: $*" >&2; exit 1; }
[ "$rc" -eq "$want_rc" ] || fail "exit status $rc, expected $want_rc"
dump=$(ls "$runs"/*/dump.txt 2>/dev/null | head -1)
[ -n "$dump" ] && [ -s "$dump" ] || fail "no dump.txt in the run directory"
echo "--- $dump ---"
cat "$dump"
while IFS= read -r re; do
  case "$re" in ''|'#'*) continue ;; esac
  grep -qE -- "$re" "$out" "$dump" || fail "nothing matches: $re"
done <"$patterns"
echo "expect_check.sh: ok"
