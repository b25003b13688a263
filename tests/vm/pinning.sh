#!/usr/bin/env bash
# Under a CTest resource allocation the scenario executable pins QEMU (every
# thread) to the allocated host CPUs, and says so in the TAP header; an
# invalid allocation is a `#` warning and an unpinned run, never a crash.
# The allocation is faked the way ctest --resource-spec-file sets it.
#   pinning.sh SCENARIO_EXE valid|invalid
set -u
exe=$1 mode=$2
cpu=1
out=$(mktemp); trap 'rm -f "$out"; [ -n "${pid:-}" ] && kill -9 "$pid" 2>/dev/null' EXIT
fail() { echo "pinning.sh: FAIL: $*" >&2; cat "$out" >&2; exit 1; }

if ! grep -q "^Cpus_allowed_list:" /proc/self/status ||
   ! python3 -c "import os, sys; sys.exit(0 if $cpu in os.sched_getaffinity(0) else 1)"; then
  echo "pinning.sh: host CPU $cpu is not usable here; skipping"
  exit 77
fi

if [ "$mode" = valid ]; then
  spec="id:$cpu,slots:1"
else
  spec="id:cpu$cpu,slots:1"
fi
CTEST_RESOURCE_GROUP_COUNT=1 CTEST_RESOURCE_GROUP_0=cpus CTEST_RESOURCE_GROUP_0_CPUS="$spec" \
  "$exe" --accel=tcg >"$out" 2>&1 &   # one QEMU: no KVM attempt to race with
pid=$!

# QEMU's affinity while it runs: the main thread and every other thread.
qpid="" allowed=""
for _ in $(seq 300); do
  qpid=$(pgrep -P "$pid" -f qemu-system | head -1)
  [ -n "$qpid" ] && break
  sleep 0.1
done
[ -n "$qpid" ] || fail "no QEMU child of $pid appeared"
sleep 1   # let QEMU start its vCPU and I/O threads
allowed=$(awk '/^Cpus_allowed_list:/ {print $2}' "/proc/$qpid/status" 2>/dev/null)
threads=$(cat /proc/"$qpid"/task/*/status 2>/dev/null | awk '/^Cpus_allowed_list:/ {print $2}' | sort -u | tr '\n' ' ')
echo "QEMU $qpid: Cpus_allowed_list $allowed; threads: $threads"

wait "$pid"; rc=$?
pid=""
[ "$rc" -eq 0 ] || fail "the scenario exited $rc"
if [ "$mode" = valid ]; then
  [ "$allowed" = "$cpu" ] || fail "QEMU's Cpus_allowed_list is '$allowed', expected '$cpu'"
  [ "$threads" = "$cpu " ] || fail "QEMU threads allowed on '$threads', expected only '$cpu'"
  grep -q "^# pinned to host CPUs $cpu (CTest resource allocation)" "$out" ||
    fail "no '# pinned to host CPUs $cpu' line in the TAP"
else
  [ "$allowed" != "$cpu" ] || fail "QEMU was pinned to $cpu by an invalid allocation"
  grep -q "^# not pinning QEMU: CTEST_RESOURCE_GROUP_0_CPUS='id:cpu$cpu,slots:1': resource id 'cpu$cpu' is not a host CPU number" "$out" ||
    fail "no '# not pinning QEMU: ...' warning in the TAP"
  grep -q "pinned to host CPUs" "$out" && fail "claims to be pinned"
fi
grep -E '^# (TCG in use|oversubscribed|CI detected|loaded host|pinned|not pinning)' "$out"
echo "pinning.sh: ok ($mode)"
