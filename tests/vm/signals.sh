#!/usr/bin/env bash
# The scenario executable is the only parent of its QEMU: whatever signal
# ends the executable, no QEMU may survive it.  SIGTERM/SIGINT must still
# produce a TIMEOUT verdict and the dump, quickly.
#   signals.sh SCENARIO_EXE SIGNAL
set -u
exe=$1 sig=$2
out=$(mktemp); trap 'rm -f "$out"' EXIT
fail() { echo "signals.sh: FAIL: $*" >&2; cat "$out" >&2; [ -n "${qpid:-}" ] && kill -9 "$qpid" 2>/dev/null; exit 1; }

# --accel=tcg: exactly one QEMU (a host whose /dev/kvm cannot run guests
# would otherwise start a short-lived KVM attempt first).
"$exe" --accel=tcg >"$out" 2>&1 &
pid=$!
qpid=""
for _ in $(seq 100); do
  qpid=$(pgrep -P "$pid" -f qemu-system | head -1)
  [ -n "$qpid" ] && break
  sleep 0.1
done
[ -n "$qpid" ] || fail "no QEMU child of $pid appeared"
sleep 2   # mid-boot
# Every QEMU child now: after the signal they would be reparented and
# invisible to pgrep -P, so remember them.
qpids=$(pgrep -P "$pid" -f qemu-system | tr '\n' ' ')
[ -n "$qpids" ] || fail "no QEMU child running 2s after start"
t0=$(date +%s.%N)
kill -s "$sig" "$pid"
wait "$pid"; rc=$?
t1=$(date +%s.%N)
took=$(awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.2f", b-a}')
for q in $qpids; do
  for _ in $(seq 30); do
    kill -0 "$q" 2>/dev/null || break
    sleep 0.1
  done
  kill -0 "$q" 2>/dev/null && fail "QEMU $q survived SIG$sig of its parent"
done
case "$sig" in
  KILL)
    [ "$rc" -eq 137 ] || fail "exit status $rc after SIGKILL";;
  *)
    [ "$rc" -eq 1 ] || fail "exit status $rc after SIG$sig, expected 1"
    grep -qE '^not ok [0-9]+ - .*# TIMEOUT' "$out" || fail "no 'not ok ... # TIMEOUT' line"
    grep -q 'interrupted by signal' "$out" || fail "no 'interrupted by signal' message"
    grep -qF -- '# --- diagnostics ---' "$out" || fail "no dump"
    awk -v t="$took" 'BEGIN{exit !(t < 5)}' || fail "took ${took}s to exit after SIG$sig"
    dir=$(sed -n 's/^# run directory (full dump, console log): //p' "$out")
    [ -n "$dir" ] && rm -rf "$dir";;
esac
echo "signals.sh: SIG$sig: exit $rc after ${took}s, QEMU $qpids gone"
