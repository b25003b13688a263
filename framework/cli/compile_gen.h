/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What `ktstr compile` writes: the C source of a scenario executable and the
 * CTest script that registers it.  Pure text generation on a FILE*, apart
 * from ktstr_write_if_changed(), so the unit tests can pin the exact output.
 */
#ifndef KTSTR_CLI_COMPILE_GEN_H
#define KTSTR_CLI_COMPILE_GEN_H

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "ktstr/error.h"
#include "ktstr/timeouts.h"

/*
 * One variant of a scenario with a matrix or scheduler flags (ktstr/variants.h):
 * its own test ktstr/<name>@<variant>, run with --variant=<variant>, labels
 * topology=, scheduler= and (with flags) flags=, and its own TIMEOUT and
 * RESOURCE_GROUPS (its topology and scheduler decide them).
 */
struct ktstr_compile_variant {
	const char *name;
	const char *topology;      /* label values */
	const char *scheduler;
	const char *flags;         /* "" or NULL: the scheduler has no flags */
	unsigned timeout_s;
	unsigned resource_cpus;
	unsigned resource_mem_mb;
};

/* Everything the two generated files say about one scenario. */
struct ktstr_compile_spec {
	const char *name;          /* test name: ktstr/<name>, executable ktstr-<name> */
	const char *source_path;   /* absolute path of the YAML file */
	const char *yaml;          /* its bytes */
	size_t yaml_len;
	const char *agent_path;    /* default guest agent; NULL when not given */
	const char *profile;       /* timeout profile name */
	const char *exe_path;      /* where the build puts the executable */
	const char *const *labels; /* user labels, after "ktstr" and "vm" */
	size_t n_labels;
	unsigned timeout_s;        /* CTest TIMEOUT, > 0 */
	bool timeout_signal;       /* the running CMake knows TIMEOUT_SIGNAL_NAME (>= 3.27) */
	/*
	 * Kernel matrix: one test per kernel spec (KTSTR_KERNEL values), named
	 * ktstr/<name>@<label> with label "kernel=<label>"; none: one test
	 * ktstr/<name> on whatever kernel discovery finds.
	 */
	const char *const *kernels;
	size_t n_kernels;
	/* The profile's values from --profile-file, embedded; NULL: none (built-in table). */
	const struct ktstr_profile *profile_values;
	/*
	 * CTest RESOURCE_GROUPS (docs/ci.md): resource_cpus groups of cpus:1, the
	 * first also holding mem_mb:resource_mem_mb.  0: no RESOURCE_GROUPS.
	 */
	unsigned resource_cpus;
	unsigned resource_mem_mb;
	/* Register each test only in its KTSTR_SHARD=i/n shard (evaluated by ctest). */
	bool shard;
	/*
	 * Variants: one test per variant (per kernel: ktstr/<name>@<variant>@<kernel>);
	 * none: the tests above.  timeout_s is then the largest, for the executable.
	 */
	const struct ktstr_compile_variant *variants;
	size_t n_variants;
};

/* The graceful-stop window CTest gives a test after SIGTERM on timeout. */
#define KTSTR_TIMEOUT_GRACE_S 10

/* A C string literal for s ("..."), or NULL when s is NULL. */
void ktstr_gen_c_string(FILE *out, const char *s);

/* A CMake quoted argument for s ("..." with \\ \" \$ and control characters escaped). */
void ktstr_gen_cmake_string(FILE *out, const char *s);

/* `static const unsigned char ident[] = { 0x.., ..., 0x00 };` (NUL added). */
void ktstr_gen_hex_array(FILE *out, const char *ident, const void *data, size_t len);

/* The scenario executable's source.  0, or -EIO when out failed. */
int ktstr_gen_c_source(FILE *out, const struct ktstr_compile_spec *s);

/* The add_test()/set_tests_properties() script.  0, or -EIO. */
int ktstr_gen_ctest(FILE *out, const struct ktstr_compile_spec *s);

/* "3.27.1", "3.28.0-rc2" >= major.minor?  False when version is NULL or unparsable. */
bool ktstr_cmake_version_at_least(const char *version, unsigned major, unsigned minor);

/*
 * Whether s can be a scenario name: [A-Za-z0-9_.+-], 1..KTSTR_NAME_MAX-1
 * characters, so it is also a valid CMake target name and file name.
 */
bool ktstr_compile_name_ok(const char *s);

/* Whether s can be a CTest label: non-empty, printable, no ';' (the list separator). */
bool ktstr_compile_label_ok(const char *s);

/*
 * The test-name suffix for a kernel spec: its version.  A cache key loses
 * its "-deb-<arch>" / "-tarball-<arch>" / "-local-..." tail, a path its
 * directories (and a bzImage/vmlinuz file name gives way to the directory
 * holding it); characters outside [A-Za-z0-9_.+-] become '_'.  0, or
 * -EINVAL when spec is empty or holds ';' or a control character.
 */
int ktstr_kernel_spec_label(const char *spec, char *buf, size_t len);

/*
 * Replace path with data atomically (temporary file in the same directory,
 * then rename), unless it already holds exactly data: leaving an unchanged
 * file untouched keeps its mtime, so the build does not recompile it.
 * Returns 1 when unchanged, 0 when written, a negative errno with err set.
 */
int ktstr_write_if_changed(const char *path, const void *data, size_t len, struct ktstr_err *err);

#endif /* KTSTR_CLI_COMPILE_GEN_H */
