/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Internal state of one scenario run (one executable invocation).
 *
 * Phases: options -> scenario -> kernel -> initramfs -> VM (event loop) ->
 * evaluation -> TAP + failure dump.  Each phase lives in its own file:
 * run_main.c (flow, options), run_loop.c (the VM event loop and watchdog),
 * run_report.c (TAP test points), dump.c (failure dump, run directory).
 */
#ifndef KTSTR_RUNNER_H
#define KTSTR_RUNNER_H

#include <stdbool.h>
#include <stdio.h>

#include "ktstr/checks.h"
#include "ktstr/error.h"
#include "ktstr/kernel.h"
#include "ktstr/proto.h"
#include "ktstr/results.h"
#include "ktstr/run.h"
#include "ktstr/scenario.h"
#include "ktstr/timeouts.h"
#include "ktstr/variants.h"
#include "ktstr/vm.h"
#include "ktstr_tap.h"

enum ktstr_harness { KTSTR_HARNESS_TAP = 0, KTSTR_HARNESS_CTEST };

struct ktstr_run_opts {
	enum ktstr_harness harness;
	double harness_timeout_s;  /* 0: none announced */
	bool keep;                 /* keep the run directory even on success */
	bool verbose;              /* kernel console not quiet; console echoed to stderr */
	enum ktstr_accel accel;
	bool tcg_multithread;
	const char *kernel;        /* --kernel: an image path (like KTSTR_TEST_KERNEL) */
	const char *qemu;
	const char *fault;         /* guest agent fault injection (tests only) */
	const char *profile;
	const char *runs_dir;
	double progress_timeout_s; /* overrides (tests) */
	double boot_budget_s;
	unsigned infra_retries;    /* extra attempts after an infrastructure failure */
	const char *qemu_args[16]; /* --qemu-arg, passed through to QEMU */
	unsigned n_qemu_args;
	const char *variant;       /* --variant: which variant of a matrix scenario */
	bool list_variants;        /* --list-variants: print them and exit */
};

/* Why the VM phase ended. */
enum ktstr_end {
	KTSTR_END_NONE = 0,
	KTSTR_END_VM_EXITED,       /* QEMU exited on its own */
	KTSTR_END_BOOT_TIMEOUT,    /* no agent hello within the boot budget */
	KTSTR_END_PROGRESS_TIMEOUT,/* no frame for progress_timeout_s */
	KTSTR_END_DEADLINE,        /* hard deadline */
	KTSTR_END_SIGNAL,          /* SIGINT/SIGTERM/SIGHUP to us */
	KTSTR_END_START_FAILED,    /* QEMU never ran */
};

const char *ktstr_end_name(enum ktstr_end e);

struct ktstr_console {
	char *buf;                 /* everything the kernel console printed */
	size_t len;
	size_t cap;
	size_t dropped;            /* bytes beyond the cap, not kept */
};

struct ktstr_runner {
	const struct ktstr_embedded_scenario *sc;
	struct ktstr_run_opts opts;
	struct ktstr_scenario scenario;
	struct ktstr_kernel kernel;
	struct ktstr_profile profile;
	struct ktstr_timeouts to;
	enum ktstr_accel accel;
	char accel_why[128];
	char topo_label[32];

	struct ktstr_vm *vm;
	struct ktstr_run_result res;
	struct ktstr_frame_parser parser;
	struct ktstr_console console;
	char qemu_stderr[4096];
	size_t qemu_stderr_len;
	char vm_error[4096];       /* QEMU could not be started */
	char kernel_panic[256];    /* first "Kernel panic" console line */

	double t_start;            /* monotonic seconds when the executable started */
	double t0;                 /* monotonic seconds when QEMU started */
	double t_first_console;
	double t_hello;
	double t_last_frame;
	double t_vm_end;
	enum ktstr_end end;
	int end_signal;
	int start_errno;           /* errno when QEMU could not be started */
	unsigned attempts;         /* VM attempts so far (1-based) */
	bool infra;                /* an attempt failed for infrastructure reasons */
	char infra_notes[8][300];  /* what each failed attempt ran into */

	struct ktstr_thresholds th;
	struct ktstr_check_outcome checks[KTSTR_CHECK__COUNT];
	struct ktstr_tap tap;
	bool failed;
	char failures[24][600];    /* one line per failure, for the dump header */
	unsigned n_failures;
	char run_dir[1024];
	struct ktstr_cpuset pin_cpus; /* CTest-allocated host CPUs (preflight.c) */
	bool pinned;               /* pin QEMU to pin_cpus */

	/* sched_ext scheduler under test (sched_host.c, sched_report.c) */
	struct ktstr_console schedlog;  /* its stdout + stderr (port ktstr.schedlog) */
	struct ktstr_sched_files *sched_files; /* NULL: eevdf */
	char sched_skip[96];            /* ktstr_sched_prepare's SKIP reason ("" : no sched_ext) */

	struct ktstr_variant variant;   /* the variant run (scenario.variant[0] != 0) */
	/* The check verdict the guest asked for before stopping its scheduler (verdict.c). */
	bool verdict_requested;
	bool verdict_sent;
	bool dump_requested;            /* the verdict asked for the scheduler's SysRq-D dump */
	char verdict_failed[160];       /* the checks that failed then, "max_gap, spread" */
	/* what else the guest runs: schedulers ops start, path payloads (sched_host.c) */
	struct ktstr_sched_files *bins;
	unsigned n_bins;
};

double ktstr_now(void);

struct ktstr_initramfs_file;
struct ktstr_sched_files;

/*
 * sched_host.c: find the scheduler binary and list its initramfs files
 * (appended to files[*n..max)).  0; 1 when the test must be skipped (err
 * says why: the kernel has no sched_ext); -errno to fail (err set).
 */
int ktstr_sched_prepare(struct ktstr_runner *r, struct ktstr_initramfs_file *files,
			unsigned max, unsigned *n, struct ktstr_err *err);

/* sched_report.c: the scheduler and kernel-log test points, their dump sections. */
unsigned ktstr_sched_plan_points(const struct ktstr_runner *r);
void ktstr_sched_report_point(struct ktstr_runner *r);
void ktstr_kernel_log_point(struct ktstr_runner *r);
bool ktstr_sched_blocked_scenario(const struct ktstr_runner *r); /* it never attached */
void ktstr_sched_dump_write(const struct ktstr_runner *r, FILE *out);
/* Append scheduler-log bytes (run_loop.c); capped like the console. */
void ktstr_schedlog_append(struct ktstr_runner *r, const char *data, size_t len);

/* run_loop.c: start the VM and run it to the end; fills r->end. */
int ktstr_run_vm(struct ktstr_runner *r, int initrd_fd);

/*
 * verdict.c: the guest's VERDICT_REQUEST (its scheduler still attached, the
 * workers reported): evaluate the checks now and answer with a VERDICT frame
 * on the results port, asking for a SysRq-D dump when one failed.
 */
void ktstr_verdict_answer(struct ktstr_runner *r);
/* The thresholds in force: defaults -> the scheduler's checks -> the scenario's. */
void ktstr_report_thresholds(struct ktstr_runner *r);

/* run_report.c: evaluate and print the TAP test points; returns the exit code. */
int ktstr_report(struct ktstr_runner *r);
unsigned ktstr_report_plan_count(const struct ktstr_runner *r);

/* dump.c */
void ktstr_dump_write(struct ktstr_runner *r, FILE *out);   /* the whole dump, plain text */
void ktstr_dump_print_tap(struct ktstr_runner *r);          /* the dump as TAP comments */
int ktstr_dump_save_run_dir(struct ktstr_runner *r);        /* run directory; sets r->run_dir */
/* Last n console lines into buf (for diagnostics). */
/* Record a failure line for the dump header. */
void ktstr_dump_note_failure(struct ktstr_runner *r, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));
/* Append to a bounded log buffer: bytes beyond cap_bytes are counted in dropped. */
int ktstr_console_append(struct ktstr_console *c, const char *data, size_t len, size_t cap_bytes);
/* Format a failure message (docs/tools/check_errors_documented.py finds these). */
void ktstr_failmsg(char *msg, size_t len, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));
void ktstr_console_tail(const struct ktstr_console *c, unsigned n, char *buf, size_t len);

#endif
