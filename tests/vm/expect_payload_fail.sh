#!/usr/bin/env bash
# A payload that exits non-zero at its wait_payload must fail the run
# properly: exit 1, `not ok` for the payloads point with the exact message,
# the message in the dump header, and the payload's own dump section with
# its output.  The run directory is removed afterwards.
#   expect_payload_fail.sh SCENARIO_EXE
set -u
exe=$1
out=$(mktemp); trap 'rm -f "$out"' EXIT
"$exe" >"$out" 2>&1
rc=$?
cat "$out"
fail() { echo "expect_payload_fail.sh: FAIL: $*" >&2; exit 1; }
dir=$(sed -n 's/^# run directory (full dump, console log): //p' "$out")
[ -n "$dir" ] && [ -d "$dir" ] && rm -rf "$dir"
[ "$rc" -eq 1 ] || fail "exit status $rc, expected 1"
msg="payload 'hog' exited with status 3 after [0-9]+\.[0-9]s \(wait_payload in step 2\)"
grep -qE '^not ok [0-9]+ - payloads: 1 of 1 runs ended badly$' "$out" || fail "no 'not ok ... payloads' line"
grep -qE "^  message: \"$msg\"$" "$out" || fail "no exact YAML message"
grep -qE "^#   $msg$" "$out" || fail "the dump header lacks the message"
grep -qF -- '# --- payload hog ---' "$out" || fail "dump section 'payload hog' missing"
grep -qE '^#   started in step 1 at [0-9.]+s \(cgroup /, pid [0-9]+\); exited with status 3' "$out" ||
  fail "the payload section does not say how it ended"
grep -qE '^#     hog: giving up$' "$out" || fail "the payload's output is not in its section"
grep -qE '^ok [0-9]+ - scenario: ran to completion' "$out" || fail "the scenario did not complete"
echo "expect_payload_fail.sh: ok"
