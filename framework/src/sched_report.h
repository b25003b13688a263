/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Parsing behind the scheduler verdict (sched_report.c), exposed for the
 * unit tests: line splitting, cycle collapse, what a scheduler log and a
 * kernel console say.
 */
#ifndef KTSTR_SCHED_REPORT_H
#define KTSTR_SCHED_REPORT_H

#include <stdbool.h>
#include <stddef.h>

struct ktstr_line {
	const char *p;             /* not NUL-terminated */
	size_t n;
};

struct ktstr_lines {
	struct ktstr_line *v;
	size_t n;
};

/* Split text into lines (no copies; "\r\n" and "\n" endings). */
void ktstr_lines_split(const char *text, size_t len, struct ktstr_lines *out);
void ktstr_lines_free(struct ktstr_lines *l);

/*
 * Collapse blocks of lines repeated three or more times in a row (compared
 * without verifier register-state annotations) into first iteration,
 * "--- N identical iterations omitted ---", last iteration.  The note lines
 * live in notes[]; out->v must be freed with free(out->v).
 */
void ktstr_cycle_collapse(const struct ktstr_lines *in, struct ktstr_lines *out,
			  char (*notes)[64], size_t max_notes, size_t *n_notes);

struct ktstr_schedlog_info {
	bool verifier;             /* a verifier log is in there */
	char stats[96];            /* "processed=186  states=7/7" */
	char complaint[256];       /* the verifier's last word before its stats */
	char insn[160];            /* the instruction it rejected: "97: (7b) *(u64 *)(r7 +16) = r1" */
	char src[256];             /* its source line: "scx_qmap.bpf.c:324 `taskc->q_prev = NULL;`" */
	char load_failed[256];     /* libbpf: prog 'x': BPF program load failed: ... */
	char kfunc_mismatch[256];  /* libbpf: extern (func ksym) 'x': func_proto ... incompatible ... */
	char last_line[256];       /* last non-empty line, dump lines aside */
	unsigned dump_lines;       /* sched_ext_dump trace lines */
};

void ktstr_schedlog_analyze(const char *text, size_t len, struct ktstr_schedlog_info *info);

/*
 * The part of a scheduler log that one instance wrote.  With scheduler ops
 * the agent starts each instance with a line "=== ktstr: scheduler #N
 * 'LABEL' (OP ...) ===" (N = instance + 1); what comes before the first
 * marker is instance 0's.  off/seg_len: the byte range (the marker line
 * included); 0/0 when the instance wrote nothing the log shows.
 */
void ktstr_schedlog_segment(const char *text, size_t len, unsigned instance, size_t *off,
			    size_t *seg_len);

struct ktstr_splat {
	char first[256];           /* the line that matched */
	char text[2048];           /* it and the lines after it */
};

struct ktstr_console_info {
	char disabled[256];        /* REASON of the last `sched_ext: BPF scheduler "X" disabled (REASON)` */
	char stall[256];           /* the line after it: `NAME: comm[pid] failed to run for Ns`, `NAME: f.bpf.c:9: msg` */
	struct ktstr_splat splats[3];
	unsigned n_splats;
	unsigned n_splat_lines;
	size_t splat_end;          /* internal: line after the last quoted splat */
};

void ktstr_console_analyze(const char *text, size_t len, struct ktstr_console_info *info);

/*
 * expect_err's verdict on a scheduler failure: true when want is empty or
 * msg or the scheduler log contains it.  where says which ("the failure
 * message", "the scheduler log").
 */
bool ktstr_expect_err_matches(const char *want, const char *msg, const char *log, size_t log_len,
			      const char **where);

struct ktstr_runner;
/* A `not ok` point with its message (TAP YAML block, dump header, exit code). */
void ktstr_sched_fail(struct ktstr_runner *r, const char *desc, const char *msg);

#endif
