// SPDX-License-Identifier: GPL-2.0-only
/*
 * Prints a representative ktstr TAP stream (what a failing scenario
 * executable prints) so unit/tap_prove_parse can check that Debian 12's
 * prove parses every construct.  Exits 1, as a failing scenario does.
 */
#include <stdio.h>

#include "ktstr_tap.h"

int main(void)
{
	struct ktstr_tap t;

	ktstr_tap_init(&t, stdout);
	ktstr_tap_header(&t);
	ktstr_tap_plan(&t, 6);
	ktstr_tap_diag(&t, "scenario 'two_cgroups' sched=scx_simple topo=1n2l2c1t");
	ktstr_tap_result(&t, true, "vm booted and agent said hello", NULL, NULL);
	ktstr_tap_result(&t, true, "starvation: all 4 workers made progress", NULL, NULL);
	ktstr_tap_result(&t, false, "max gap: 1 of 4 workers stuck longer than 3000ms", NULL, NULL);
	ktstr_tap_yaml_begin(&t);
	ktstr_tap_yaml_kv(&t, "check", "max_gap");
	ktstr_tap_yaml_kv(&t, "threshold_ms", "3000");
	ktstr_tap_yaml_kv(&t, "details",
			  "tid 2 stuck 4500ms on cpu2 at +3200ms (threshold 3000ms)\n"
			  "see: --- stats --- # tid 2\n");
	ktstr_tap_yaml_kv(&t, "note", "quoted \"value\": with # and \\");
	ktstr_tap_yaml_end(&t);
	ktstr_tap_result(&t, true, "spread", "SKIP", "no cgroup has 2 or more workers to compare");
	ktstr_tap_result(&t, false, "isolation", "TODO", "not implemented yet");
	ktstr_tap_result(&t, true, "description with \\ and # SKIP inside", NULL, NULL);
	ktstr_tap_diag_text(&t,
			    "ktstr_test 'two_cgroups' failed:\n"
			    "  tid 2 stuck 4500ms on cpu2 at +3200ms (threshold 3000ms)\n"
			    "\n"
			    "--- stats ---\n"
			    "4 workers, 2 cpus, 17 migrations, worst_spread=12%, worst_gap=4500ms\n"
			    "  tid   cgroup  work_units  gap_ms  off_cpu%\n"
			    "  2     cg_0    1200        4500    41\n"
			    "--- timeline ---\n"
			    "  +0.0s qemu started\n");
	return t.failed ? 1 : 0;
}
