/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The host side of a sched_ext scheduler under test: finding its binary
 * (by path or by name), and listing what the guest needs to run it — the
 * binary at /ktstr/sched/<label>, its ELF interpreter and every shared
 * library it needs (read from the dynamic sections with libelf, not ldd,
 * which would run the binary), each at its host path.
 */
#ifndef KTSTR_SCHED_HOST_H
#define KTSTR_SCHED_HOST_H

#include <stdbool.h>
#include <stddef.h>

#include "ktstr/error.h"
#include "ktstr/scenario.h"

#include "initramfs.h"

/* Where the guest agent finds the binary: KTSTR_GUEST_SCHED_DIR "/" label. */
#define KTSTR_GUEST_SCHED_DIR "/ktstr/sched"
/* Path payloads: KTSTR_GUEST_PAYLOAD_DIR "/" payload name. */
#define KTSTR_GUEST_PAYLOAD_DIR "/ktstr/payload"
#define KTSTR_SCHED_MAX_FILES 64

struct ktstr_sched_files {
	char bin[KTSTR_PATH_MAX];                  /* resolved host path of the binary */
	const char *what;                          /* "scheduler" (NULL) or "payload": for messages */
	char label[KTSTR_NAME_MAX];                /* its name in the guest (/ktstr/sched/<label>) */
	char found_by[128];                        /* "KTSTR_SCHEDULER", "next to the test", ... */
	/* guest path (no leading '/') and host source of each file */
	char guest[KTSTR_SCHED_MAX_FILES][KTSTR_PATH_MAX];
	char host[KTSTR_SCHED_MAX_FILES][KTSTR_PATH_MAX];
	unsigned n;
	unsigned n_libs;                           /* shared objects among them */
	int is_static;                             /* no interpreter, no DT_NEEDED */
};

/*
 * Resolve the scenario's scheduler binary.  PATH: relative to the directory
 * of source_path (the YAML file) when that exists, else to the working
 * directory.  NAME: KTSTR_SCHEDULER_BIN_<NAME>, KTSTR_SCHEDULER, the test
 * executable's directory, the build tree (agent_path/../bpf, ../schedulers),
 * then $PATH.  On failure err says where it looked (the "scheduler 'X' not
 * found" message) and -ENOENT / -EACCES is returned.
 */
int ktstr_sched_find(const struct ktstr_scenario *s, const char *source_path,
		     const char *agent_path, struct ktstr_sched_files *out, struct ktstr_err *err);

/*
 * Fill out->guest/host with the binary, its interpreter and its shared
 * libraries (transitively, DT_RUNPATH/DT_RPATH with $ORIGIN, then the
 * system's library directories).  A library that cannot be found is an
 * error naming it.
 */
int ktstr_sched_collect(const struct ktstr_scenario *s, struct ktstr_sched_files *out,
			struct ktstr_err *err);

/*
 * ktstr_sched_find() for any scheduler spec: the scenario's own (own_spec:
 * KTSTR_SCHEDULER applies) or one a scheduler op starts (only the
 * per-name KTSTR_SCHEDULER_BIN_<NAME> and the search places).
 */
int ktstr_sched_find_spec(const struct ktstr_scheduler_spec *spec, bool own_spec,
			  const char *source_path, const char *agent_path,
			  struct ktstr_sched_files *out, struct ktstr_err *err);

/*
 * ktstr_sched_collect() for any binary: `guest` is where it goes (no
 * leading '/'); out->what "payload" also accepts a file that is not ELF (a
 * script: its interpreter must be in the guest, e.g. #!/bin/sh).
 */
int ktstr_bin_collect(const char *guest, struct ktstr_sched_files *out, struct ktstr_err *err);

/*
 * A path payload's binary: relative to the scenario file's directory (then
 * the working directory).  -ENOENT / -EACCES with the "payload 'NAME': path
 * ... is not an executable file" message.
 */
int ktstr_payload_find(const struct ktstr_payload *p, const char *source_path,
		       struct ktstr_sched_files *out, struct ktstr_err *err);

/* Guest files of every binary together (schedulers, payloads), deduplicated. */
#define KTSTR_GUEST_MAX_FILES 256

/* The environment variable a NAME scheduler is looked up in: KTSTR_SCHEDULER_BIN_SCX_SIMPLE. */
void ktstr_sched_env_name(const char *name, char *buf, size_t len);

/* Initramfs entries (host_path set) for every collected file; returns how many. */
unsigned ktstr_sched_initramfs_files(const struct ktstr_sched_files *f,
				     struct ktstr_initramfs_file *out, unsigned max);

#endif
