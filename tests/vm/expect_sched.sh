#!/usr/bin/env bash
# A sched_ext scenario must end with the expected exit status, say the
# expected thing (an extended regex over the whole output) and carry the
# expected failure-dump sections; its run directory is removed afterwards.
#   expect_sched.sh SCENARIO_EXE STATUS REGEX [SECTION...]
# KTSTR_TEST_ARGS (space-separated) are passed to SCENARIO_EXE, e.g.
# --variant=slow.
# SECTION is a dump heading without dashes, e.g. "scheduler log"; a leading
# '!' asserts that the section is absent; a leading '~' makes it one more
# regex that must match.
set -u
exe=$1 want=$2 regex=$3; shift 3
out=$(mktemp); trap 'rm -f "$out"' EXIT
# shellcheck disable=SC2086  # word splitting is the point
"$exe" ${KTSTR_TEST_ARGS:-} >"$out" 2>&1
rc=$?
cat "$out"
fail() { echo "expect_sched.sh: FAIL: $*" >&2; exit 1; }
dir=$(sed -n 's/^# run directory (full dump, console log): //p' "$out")
[ -n "$dir" ] && [ -d "$dir" ] && rm -rf "$dir"
[ "$rc" -eq "$want" ] || fail "exit status $rc, expected $want"
grep -qE -- "$regex" "$out" || fail "no match for /$regex/"
for s in "$@"; do
  case $s in
    ~*) grep -qE -- "${s#\~}" "$out" || fail "no match for /${s#\~}/" ;;
    !*) grep -qF -- "# --- ${s#!} ---" "$out" && fail "dump section '${s#!}' present" ;;
    *) grep -qF -- "# --- $s ---" "$out" || fail "dump section '$s' missing" ;;
  esac
done
echo "expect_sched.sh: ok"
