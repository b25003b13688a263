#!/usr/bin/env bash
# Harness overhead benchmark (not a test: prints numbers, asserts nothing).
#
# Compares one run of the bundled `steady` scenario with a bare QEMU
# boot-and-poweroff of the same kernel, the same machine options and the same
# initramfs base (the guest agent in `ktstr.mode=boot`: it says hello and
# powers off at once), and prints
#
#   overhead = steady wall - bare boot wall - scenario duration
#
# i.e. what the harness adds on top of booting the kernel and running the
# scenario: initramfs assembly, cgroup and worker setup, telemetry, results,
# teardown and evaluation.
#
#   ci/bench-overhead.sh [runs]          (default 5 runs of each, medians)
set -euo pipefail
cd "$(dirname "$0")/.."
BUILD_DIR=${KTSTR_BUILD_DIR:-build}
RUNS=${1:-5}
KTSTR="$BUILD_DIR/framework/cli/ktstr"
STEADY="$BUILD_DIR/scenarios/ktstr-steady"
[ -x "$STEADY" ] || { echo "build first: ci/build.sh" >&2; exit 1; }

KERNEL=$("$KTSTR" kernel path)
DURATION_S=$("$STEADY" --print-scenario | sed -n 's/^duration: *\([0-9.]*\)s.*/\1/p')
CACHE=${KTSTR_INITRAMFS_CACHE:-${XDG_CACHE_HOME:-$HOME/.cache}/ktstr/initramfs}
TMP=$(mktemp -d)
trap 'rm -rf "$TMP"' EXIT

# One steady run first, so the initramfs base is cached and we can reuse it.
"$STEADY" --accel=tcg >/dev/null
BASE=$(ls -t "$CACHE"/*.cpio | head -1)

median() { sort -n | awk '{a[NR]=$1} END {m=(NR%2)?a[(NR+1)/2]:(a[NR/2]+a[NR/2+1])/2; printf "%.3f\n", m}'; }
now() { date +%s.%N; }

bare_once() {
  local t0 t1
  t0=$(now)
  timeout 120 qemu-system-x86_64 -accel tcg,thread=single -M pc -m 512 \
    -smp 2,sockets=1,cores=2,threads=1 -nodefaults -no-user-config -display none -no-reboot \
    -serial "file:$TMP/console.log" \
    -device virtio-serial-pci,id=vs0 -chardev "file,id=res,path=$TMP/results.bin" \
    -device virtserialport,bus=vs0.0,chardev=res,name=ktstr.results \
    -kernel "$KERNEL" -initrd "$BASE" \
    -append "console=ttyS0 panic=-1 reboot=t quiet no_timer_check tsc=reliable mitigations=off i8042.noaux i8042.nokbd i8042.nopnp audit=0 lsm=capability rdinit=/init ktstr.mode=boot" \
    >/dev/null 2>&1
  t1=$(now)
  awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.3f\n", b-a}'
}

steady_once() {
  local t0 t1 dir
  t0=$(now)
  # TCG like the bare boot (a host whose /dev/kvm cannot run guests would
  # otherwise add a failed KVM attempt to every run).
  KTSTR_RUNS_DIR="$TMP/runs" "$STEADY" --accel=tcg --keep >"$TMP/steady.tap" ||
    { echo "steady failed:" >&2; cat "$TMP/steady.tap" >&2; exit 1; }
  t1=$(now)
  awk -v a="$t0" -v b="$t1" 'BEGIN{printf "%.3f\n", b-a}'
  # The harness's own share, from the run's timeline: host work outside the
  # VM, agent setup (hello -> scenario start), teardown (scenario end ->
  # results) and power-off (results -> QEMU exit).
  dir=$(ls -td "$TMP"/runs/*/ | head -1)
  awk -v wall="$(awk -v a="$t0" -v b="$t1" 'BEGIN{print b-a}')" '
    / agent .* up /            { hello = $2 }
    /scenario started/         { start = $2 }
    /scenario ended/           { end = $2 }
    /results complete/         { res = $2 }
    /qemu exited/              { ex = $2 }
    END {
      gsub(/[+s]/, "", hello); gsub(/[+s]/, "", start); gsub(/[+s]/, "", end)
      gsub(/[+s]/, "", res); gsub(/[+s]/, "", ex)
      printf "%.3f %.3f %.3f %.3f %.3f\n", wall - ex, start - hello, res - end, ex - res, hello
    }' "$dir/dump.txt" >>"$TMP/parts"
  rm -rf "$TMP/runs"
}

: >"$TMP/bare"; : >"$TMP/steady"; : >"$TMP/parts"
for i in $(seq "$RUNS"); do
  bare_once >>"$TMP/bare"
  steady_once >>"$TMP/steady"
done
BARE=$(median <"$TMP/bare")
STEADY_W=$(median <"$TMP/steady")
OVER=$(awk -v s="$STEADY_W" -v b="$BARE" -v d="$DURATION_S" 'BEGIN{printf "%.3f", s-b-d}')
PCT=$(awk -v o="$OVER" -v d="$DURATION_S" 'BEGIN{printf "%.1f", 100*o/d}')
echo "kernel:            $KERNEL"
echo "runs:              $RUNS (medians)"
echo "bare boot+poweroff: ${BARE}s   (all: $(tr '\n' ' ' <"$TMP/bare"))"
echo "steady (${DURATION_S}s scenario): ${STEADY_W}s   (all: $(tr '\n' ' ' <"$TMP/steady"))"
echo "harness overhead:  ${OVER}s = ${PCT}% of the scenario duration (steady wall - bare wall - duration; noisy: two separate boots)"
# The same, measured inside one run (medians over the runs):
col() { awk -v c="$1" '{print $c}' "$TMP/parts" | median; }
echo "inside one steady run (medians): host outside the VM $(col 1)s, agent setup $(col 2)s,"
echo "  teardown $(col 3)s, power-off $(col 4)s; QEMU start -> agent hello $(col 5)s"
awk '{ s = $1 + $2 + $3 + $4; print s }' "$TMP/parts" | median | {
  read -r own
  echo "harness's own time per run: ${own}s = $(awk -v o="$own" -v d="$DURATION_S" 'BEGIN{printf "%.1f", 100*o/d}')% of the scenario duration"
}
