#!/usr/bin/env bash
# An op or a scenario of the library must do what it claims, as far as the
# per-worker telemetry shows it: the CPUs each worker ran on (cumulative over
# the run), its cgroup at the end, CPU time, wall time and largest gap.  The
# scenario must pass; then CHECK's assertions run on the kept dump.
#   lib_check.sh SCENARIO_EXE CHECK
# CHECK: affinity_pinned | freeze_thaw | nested_task_move | cgroup_knobs | ops
set -u
exe=$1 check=$2
runs=$(mktemp -d); out="$runs/tap.txt"
trap 'rm -rf "$runs"' EXIT
fail() { echo "lib_check.sh: FAIL ($check): $*" >&2; cat "$out" >&2; [ -n "${dump:-}" ] && cat "$dump" >&2; exit 1; }

"$exe" --harness=ctest --keep --runs-dir="$runs" >"$out" 2>&1
rc=$?
[ "$rc" -eq 77 ] && { cat "$out"; exit 77; }
[ "$rc" -eq 0 ] || fail "the scenario exited $rc, expected a pass"
dir=$(sed -n 's/^# run directory (full dump, console log): //p' "$out")
dump="$dir/dump.txt"
[ -s "$dump" ] || fail "no dump.txt in the run directory '$dir'"

# The worker table of --- stats ---: tid cgroup units cpu_ms wall_ms offcpu
# max_gap @cpu gap_at migr cpus status.  One "cgroup cpus cpu wall gap" line
# per worker; "-" for a worker that never reached a checkpoint.
workers=$(awk '/^  tid +cgroup/ {t = 1; next} /^--- / {t = 0}
               t && NF == 12 {g = $7; sub(/ms$/, "", g); print $2, $11, $4, $5, g, $12}' "$dump")
[ -n "$workers" ] || fail "no worker table in $dump"
echo "$workers"

# A cpulist as one CPU per line.
expand() {
  local part
  for part in ${1//,/ }; do
    case $part in
      -) ;;
      *-*) seq "${part%-*}" "${part#*-}" ;;
      *) echo "$part" ;;
    esac
  done
}
# The workers of cgroup $1 (exact name), one line each.
of() { awk -v c="$1" '$1 == c' <<<"$workers"; }
count() { of "$1" | wc -l; }
# Every worker of $1 ran on exactly the CPUs in cpulist $2 (each of them, no other).
cpus_are() {
  local want got line
  want=$(expand "$2" | sort -n | tr '\n' ' ')
  [ "$(count "$1")" -gt 0 ] || fail "no worker reported in cgroup '$1'"
  while read -r line; do
    got=$(expand "$(awk '{print $2}' <<<"$line")" | sort -n | tr '\n' ' ')
    [ "$got" = "$want" ] || fail "a worker of '$1' ran on CPUs '$got', expected exactly '$want'"
  done < <(of "$1")
}
# Every worker of $1 ran only on CPUs within cpulist $2.
cpus_within() {
  local c line
  [ "$(count "$1")" -gt 0 ] || fail "no worker reported in cgroup '$1'"
  while read -r line; do
    for c in $(expand "$(awk '{print $2}' <<<"$line")"); do
      expand "$2" | grep -qx "$c" || fail "a worker of '$1' ran on CPU $c, outside $2"
    done
  done < <(of "$1")
}
# Every worker of $1 ran on at least one CPU of cpulist $2.
cpus_touch() {
  local line hit c
  [ "$(count "$1")" -gt 0 ] || fail "no worker reported in cgroup '$1'"
  while read -r line; do
    hit=0
    for c in $(expand "$(awk '{print $2}' <<<"$line")"); do
      expand "$2" | grep -qx "$c" && hit=1
    done
    [ "$hit" = 1 ] || fail "a worker of '$1' never ran on any of CPUs $2: $line"
  done < <(of "$1")
}
# Sum of column $2 (3 cpu_ms, 4 wall_ms, 5 max_gap) over cgroup $1's workers.
sum() { of "$1" | awk -v f="$2" '{s += $f} END {printf "%d", s}'; }
# Largest of column $2 over cgroup $1's workers.
max() { of "$1" | awk -v f="$2" '$f > m {m = $f} END {printf "%d", m}'; }
# awk as a boolean: true() 'expression' with variables a=.. b=..
true_() { awk "BEGIN {exit !($1)}"; }

case $check in
affinity_pinned)
  # all workers pinned to CPUs 0-1 of 4: none may run on 2 or 3
  cpus_within cg_0 0-1
  cpus_within cg_1 0-1
  ;;
freeze_thaw)
  # cg_0 frozen 2.5 s: it really stood still (off-CPU >= 2 s of its wall
  # time), yet its largest gap is far below the frozen time
  off=$(( $(sum cg_0 4) - $(sum cg_0 3) ))
  gap=$(max cg_0 5)
  [ "$off" -ge 2000 ] || fail "cg_0 was off the CPU for ${off}ms only: was it frozen at all?"
  [ "$gap" -lt 1200 ] || fail "cg_0's largest gap is ${gap}ms: the frozen 2.5s counted as a gap"
  off1=$(( $(sum cg_1 4) - $(sum cg_1 3) ))
  [ "$off1" -lt 1000 ] || fail "cg_1 (never frozen, alone on its CPU) was off the CPU for ${off1}ms"
  ;;
nested_task_move)
  # the pair from cg_0/sub_a visited cg_1/sub_a (CPUs 2-3) and came home;
  # cg_1/sub_b never left CPUs 2-3; nothing is left in the other leaves
  [ "$(count cg_0/sub_a)" -eq 2 ] || fail "expected the 2 moved workers in cg_0/sub_a at the end"
  cpus_touch cg_0/sub_a 0-1
  cpus_touch cg_0/sub_a 2-3
  cpus_within cg_1/sub_b 2-3
  [ "$(count cg_0/sub_b)" -eq 0 ] && [ "$(count cg_1/sub_a)" -eq 0 ] ||
    fail "workers left behind in cg_0/sub_b or cg_1/sub_a"
  ;;
cgroup_knobs)
  # cpu.weight 300 vs 75: heavy got clearly more CPU than light (4:1 ideally)
  h=$(sum heavy 3) l=$(sum light 3)
  true_ "$h > 2 * $l" || fail "heavy used ${h}ms of CPU, light ${l}ms: cpu.weight 300 vs 75 had no effect"
  ;;
ops)
  # tests/vm/scenarios/lib_ops.yaml: each op, seen from the CPUs used
  cpus_are a 0,3                  # set_cpuset "0" -> "3"
  cpus_are b 1-2                  # swap_cpusets b ("1") <-> c ("2")
  cpus_are c 1-2
  cpus_are d 2-3                  # set_affinity exact "3" -> "2"
  cpus_are f 0,3                  # move_all_tasks e ("0") -> f ("3")
  [ "$(count e)" -eq 0 ] || fail "a worker is still reported in 'e' after move_all_tasks"
  cpus_are extra 1                # add_cgroup with a cpuset, then spawn into it
  cpus_within / 1-3               # spawn_host with an affinity
  [ "$(count /)" -eq 1 ] || fail "expected 1 spawn_host worker in the root cgroup"
  [ "$(count local)" -eq 1 ] || fail "expected 1 worker of the step's own cgroup 'local'"
  full=$(sum a 4)
  # lifetimes: gone (removed after 1 s), extra and local (1 s), the host worker (2 s of 3)
  for cg in gone extra local; do
    w=$(sum "$cg" 4)
    true_ "$w < 0.6 * $full" || fail "'$cg' ran ${w}ms of the scenario's ${full}ms: not ended after its step"
  done
  w=$(sum / 4)
  true_ "$w > 0.4 * $full && $w < 0.9 * $full" || fail "the host worker ran ${w}ms of ${full}ms, expected about 2/3"
  # cpu.max 10% all along vs a 10% cap lifted by set_knob after the first step
  c=$(sum capped 3) w=$(sum capped 4)
  true_ "$c < 0.25 * $w" || fail "capped used ${c}ms of CPU in ${w}ms: cpu.max 10% not applied"
  c=$(sum uncapped 3) w=$(sum uncapped 4)
  true_ "$c > 0.35 * $w" || fail "uncapped used ${c}ms of CPU in ${w}ms: set_knob cpu.max max not applied"
  ;;
*)
  fail "unknown check '$check'"
  ;;
esac
echo "lib_check.sh: ok ($check)"
