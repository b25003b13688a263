#!/usr/bin/env bash
# A watchdog tier must end a hung VM with its own message and the dump,
# before the (announced) harness timeout, leaving no QEMU behind.
#   watchdog.sh SCENARIO_EXE EXPECTED_REGEX HARNESS_TIMEOUT [exe args...]
set -u
exe=$1 expect=$2 harness=$3; shift 3
out=$(mktemp); trap 'rm -f "$out"' EXIT
fail() { echo "watchdog.sh: FAIL: $*" >&2; cat "$out" >&2; exit 1; }
t0=$(date +%s.%N)
"$exe" --harness-timeout="$harness" "$@" >"$out" 2>&1
rc=$?
t1=$(date +%s.%N)
took=$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.1f", b-a}')
cat "$out"
[ "$rc" -eq 1 ] || fail "exit status $rc, expected 1"
grep -qE "$expect" "$out" || fail "expected message /$expect/ not found"
grep -qF -- '# --- diagnostics ---' "$out" || fail "no dump"
awk -v t="$took" -v h="$harness" 'BEGIN{exit !(t < h)}' || fail "took ${took}s, not below the harness timeout ${harness}s"
pgrep -f "ktstr.fault=" >/dev/null && fail "a QEMU with a fault injection is still running"
dir=$(sed -n 's/^# run directory (full dump, console log): //p' "$out")
[ -n "$dir" ] && rm -rf "$dir"
echo "watchdog.sh: ok in ${took}s (harness timeout ${harness}s)"
