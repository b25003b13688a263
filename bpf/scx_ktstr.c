// SPDX-License-Identifier: GPL-2.0-only
/*
 * scx_ktstr: loader of ktstr's fixture sched_ext scheduler (scx_ktstr.bpf.c).
 * Flags set the BPF side's read-only knobs before load; see --help.
 * Judged by ktstr through sysfs and its output, like any scheduler under test.
 */
#include <errno.h>
#include <getopt.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include <bpf/bpf.h>
#include <scx/common.h>

#include "scx_ktstr.bpf.skel.h"

static const char usage[] =
	"usage: scx_ktstr [options]\n"
	"ktstr's fixture sched_ext scheduler: a global FIFO with fault injection.\n"
	"  --stall-after S        stop dispatching workload tasks S seconds after attach\n"
	"  --error-after N        scx_bpf_error() on the Nth dispatch\n"
	"  --fail-verify          load a program the BPF verifier rejects\n"
	"  --slow-dispatch        serve workload tasks on one dispatch call in four\n"
	"  --slow-dispatch-every N  ... in N instead (implies --slow-dispatch)\n"
	"  --starve-cgroup NAME   run tasks of cgroup NAME at most once per second\n"
	"  --die-after S          exit(3) S seconds after attach, still attached\n"
	"  --timeout-ms MS        the kernel watchdog's runnable-task timeout (default 5000)\n"
	"  --verbose              libbpf debug output\n";

static volatile sig_atomic_t exit_req;
static bool verbose;

static void on_signal(int sig)
{
	(void)sig;
	exit_req = 1;
}

static int print_fn(enum libbpf_print_level level, const char *fmt, va_list args)
{
	if (level == LIBBPF_DEBUG && !verbose)
		return 0;
	return vfprintf(stderr, fmt, args);
}

static double num_arg(const char *opt, const char *s)
{
	char *end;
	double v = strtod(s, &end);

	if (end == s || *end || v < 0) {
		fprintf(stderr, "scx_ktstr: %s needs a non-negative number, got '%s'\n", opt, s);
		exit(2);
	}
	return v;
}

int main(int argc, char **argv)
{
	enum { O_STALL = 256, O_ERROR, O_FAILV, O_SLOW, O_SLOW_EVERY, O_STARVE, O_DIE, O_TIMEOUT, O_VERBOSE,
	       O_HELP };
	static const struct option opts[] = {
		{ "stall-after", required_argument, NULL, O_STALL },
		{ "error-after", required_argument, NULL, O_ERROR },
		{ "fail-verify", no_argument, NULL, O_FAILV },
		{ "slow-dispatch", no_argument, NULL, O_SLOW },
		{ "slow-dispatch-every", required_argument, NULL, O_SLOW_EVERY },
		{ "starve-cgroup", required_argument, NULL, O_STARVE },
		{ "die-after", required_argument, NULL, O_DIE },
		{ "timeout-ms", required_argument, NULL, O_TIMEOUT },
		{ "verbose", no_argument, NULL, O_VERBOSE },
		{ "help", no_argument, NULL, O_HELP },
		{ 0 },
	};
	struct scx_ktstr *skel;
	struct bpf_link *link;
	double die_after = 0;
	time_t attached, last = 0;
	__u64 ecode;
	int c;

	libbpf_set_print(print_fn);
	signal(SIGINT, on_signal);
	signal(SIGTERM, on_signal);
	setvbuf(stdout, NULL, _IOLBF, 0);
	skel = SCX_OPS_OPEN(ktstr_ops, scx_ktstr);
	skel->rodata->own_tgid = getpid();
	while ((c = getopt_long(argc, argv, "", opts, NULL)) != -1) {
		switch (c) {
		case O_STALL:
			skel->rodata->stall_after_ns = (__u64)(num_arg("--stall-after", optarg) * 1e9);
			break;
		case O_ERROR:
			skel->rodata->error_after = (__u64)num_arg("--error-after", optarg);
			break;
		case O_FAILV:
			skel->rodata->fail_verify = true;
			break;
		case O_SLOW:
			skel->rodata->slow_dispatch = true;
			break;
		case O_SLOW_EVERY:
			skel->rodata->slow_dispatch = true;
			skel->rodata->slow_every =
				(__u64)num_arg("--slow-dispatch-every", optarg);
			break;
		case O_STARVE:
			snprintf((char *)skel->rodata->starve_cgroup,
				 sizeof(skel->rodata->starve_cgroup), "%s", optarg);
			break;
		case O_DIE:
			die_after = num_arg("--die-after", optarg);
			break;
		case O_TIMEOUT:
			skel->struct_ops.ktstr_ops->timeout_ms =
				(__u32)num_arg("--timeout-ms", optarg);
			break;
		case O_VERBOSE:
			verbose = true;
			break;
		case O_HELP:
			fputs(usage, stdout);
			return 0;
		default:
			fputs(usage, stderr);
			return 2;
		}
	}
	SCX_OPS_LOAD(skel, ktstr_ops, scx_ktstr, uei);
	link = SCX_OPS_ATTACH(skel, ktstr_ops, scx_ktstr);
	attached = time(NULL);
	printf("scx_ktstr: attached (pid %d)\n", (int)getpid());
	while (!exit_req && !UEI_EXITED(skel, uei)) {
		time_t now = time(NULL);

		if (die_after > 0 && difftime(now, attached) >= die_after) {
			printf("scx_ktstr: --die-after %.1f: exiting while attached\n", die_after);
			exit(3);
		}
		if (now != last) {
			printf("scx_ktstr: dispatched=%llu enqueued=%llu starved_runs=%llu\n",
			       (unsigned long long)skel->bss->nr_dispatched,
			       (unsigned long long)skel->bss->nr_enqueued,
			       (unsigned long long)skel->bss->nr_starved_runs);
			last = now;
		}
		usleep(100 * 1000);
	}
	bpf_link__destroy(link);
	ecode = UEI_REPORT(skel, uei);
	scx_ktstr__destroy(skel);
	return UEI_ECODE_RESTART(ecode) ? 4 : 0;
}
