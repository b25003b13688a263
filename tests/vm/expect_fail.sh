#!/usr/bin/env bash
# A scenario built to fail must say so properly: exit 1, `not ok` for the
# failed check with the offending tid, the failure dump sections, and a run
# directory holding the full dump and the console log.
#   expect_fail.sh SCENARIO_EXE
set -u
exe=$1
out=$(mktemp); trap 'rm -f "$out"' EXIT
"$exe" >"$out" 2>&1
rc=$?
cat "$out"
fail() { echo "expect_fail.sh: FAIL: $*" >&2; exit 1; }
[ "$rc" -eq 1 ] || fail "exit status $rc, expected 1"
grep -qE '^not ok [0-9]+ - check max_gap' "$out" || fail "no 'not ok ... check max_gap' line"
grep -qE 'tid [0-9]+ stuck [0-9]+ms on cpu[0-9]+ at \+[0-9]+ms \(threshold 1ms\)' "$out" || fail "no 'tid N stuck' detail"
for s in '--- stats ---' '--- diagnostics ---' '--- timeline ---'; do
  grep -qF -- "# $s" "$out" || fail "dump section '$s' missing"
done
dir=$(sed -n 's/^# run directory (full dump, console log): //p' "$out")
[ -n "$dir" ] || fail "run directory not printed"
[ -s "$dir/dump.txt" ] || fail "$dir/dump.txt missing"
[ -s "$dir/console.log" ] || fail "$dir/console.log missing"
grep -qF -- '--- stats ---' "$dir/dump.txt" || fail "dump.txt lacks stats"
rm -rf "$dir"
echo "expect_fail.sh: ok"
