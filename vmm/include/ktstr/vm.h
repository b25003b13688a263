/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * One virtual machine.
 *
 * The runner talks to a VM only through this interface: start it, read its
 * channels (kernel console, framed results, scheduler log) as plain file
 * descriptors, stop it, reap it.  The QEMU backend (vm_qemu.c) is the only
 * one today; a native KVM backend can be added beside it by providing
 * another struct ktstr_vm_backend.
 *
 * Lifetime rules (why they matter: a test harness must never leave a VM
 * running):
 *  - the process that calls ktstr_vm_start() is the VM's only parent;
 *  - the VM is started with a parent-death signal, so even SIGKILL of that
 *    process takes the VM down with it;
 *  - every channel is an inherited socketpair/memfd, so nothing is created
 *    in the file system that could be left behind.
 */
#ifndef KTSTR_VM_H
#define KTSTR_VM_H

#include <stdbool.h>
#include <sys/types.h>

#include "ktstr/cpulist.h"
#include "ktstr/error.h"
#include "ktstr/scenario.h"

enum ktstr_accel {
	KTSTR_ACCEL_AUTO = 0,      /* KVM when /dev/kvm is usable, else TCG */
	KTSTR_ACCEL_KVM,
	KTSTR_ACCEL_TCG,
};

const char *ktstr_accel_name(enum ktstr_accel a);
/* Parse "auto"/"kvm"/"tcg"; -EINVAL otherwise. */
int ktstr_accel_parse(const char *s, enum ktstr_accel *out);
/* AUTO -> KVM or TCG for this host; why is set to a short explanation. */
enum ktstr_accel ktstr_accel_resolve(enum ktstr_accel a, char *why, size_t why_len);
/* When KVM was explicitly requested: 0 if /dev/kvm is usable, else the seed guide's messages. */
int ktstr_accel_check_kvm(struct ktstr_err *err);

struct ktstr_vm_config {
	struct ktstr_topology topo;
	const char *kernel_image;
	int initrd_fd;             /* complete initramfs (e.g. a memfd) */
	const char *cmdline_extra; /* appended to the base kernel command line */
	enum ktstr_accel accel;    /* resolved: KVM or TCG */
	bool tcg_multithread;      /* MTTCG; off by default (lab notes: oopses on QEMU 7.2) */
	bool verbose_console;      /* drop `quiet` from the command line */
	const char *qemu_binary;   /* NULL: $KTSTR_QEMU or qemu-system-x86_64 */
	/* Pin QEMU (all its threads) to these host CPUs; NULL: no pinning. */
	const struct ktstr_cpuset *cpu_set;
	/* Extra QEMU arguments from the user (--qemu-arg), appended before -kernel. */
	const char *const *extra_args;
	unsigned n_extra_args;
};

struct ktstr_vm;

struct ktstr_vm_backend {
	const char *name;
	int (*start)(struct ktstr_vm *vm, struct ktstr_err *err);
	/* Stop the VM now (no grace); safe to call repeatedly. */
	void (*kill)(struct ktstr_vm *vm);
	/* Reap if exited: 1 reaped, 0 still running, <0 error. */
	int (*reap)(struct ktstr_vm *vm, bool block);
	void (*cleanup)(struct ktstr_vm *vm);
};

struct ktstr_vm {
	const struct ktstr_vm_backend *backend;
	struct ktstr_vm_config cfg;
	pid_t pid;                 /* 0 when not running */
	int console_fd;            /* host ends; -1 when closed */
	int results_fd;
	int schedlog_fd;
	int qmp_fd;
	int stderr_fd;             /* QEMU's own stderr (its error messages) */
	bool exited;
	int wait_status;           /* from waitpid() once exited */
	bool killed_by_us;         /* we asked it to stop: exit status says nothing */
	char cmdline[8192];        /* the full command, for diagnostics */
};

/* Prepare a VM object for the given backend ("qemu"); nothing runs yet. */
int ktstr_vm_create(const char *backend, const struct ktstr_vm_config *cfg,
		    struct ktstr_vm **out, struct ktstr_err *err);
int ktstr_vm_start(struct ktstr_vm *vm, struct ktstr_err *err);
void ktstr_vm_kill(struct ktstr_vm *vm);
int ktstr_vm_reap(struct ktstr_vm *vm, bool block);
/* Kill (if running), reap, close channels, free.  NULL is fine. */
void ktstr_vm_destroy(struct ktstr_vm *vm);

/* "exited with status 0", "killed by signal 9", ... */
void ktstr_vm_describe_exit(const struct ktstr_vm *vm, char *buf, size_t len);

/* --- argv building (qemu_argv.c), exposed for unit tests ----------------- */

struct ktstr_argv {
	char **v;
	size_t n;
	size_t cap;
};

void ktstr_argv_free(struct ktstr_argv *a);
int ktstr_argv_add(struct ktstr_argv *a, const char *fmt, ...)
	__attribute__((format(printf, 2, 3)));

/* File descriptors QEMU inherits, by role. */
struct ktstr_qemu_fds {
	int console;
	int results;
	int schedlog;
	int qmp;
	int initrd;
};

/* The base kernel command line (before cmdline_extra). */
void ktstr_qemu_base_cmdline(bool quiet, char *buf, size_t len);

/* Build QEMU's argv for cfg with the given inherited fds. */
int ktstr_qemu_build_argv(const struct ktstr_vm_config *cfg, const char *qemu,
			  const struct ktstr_qemu_fds *fds, struct ktstr_argv *out);

/* --- QMP (qmp.c) ---------------------------------------------------------- */

/* Negotiate capabilities on a fresh QMP connection (timeout in ms). */
int ktstr_qmp_handshake(int fd, int timeout_ms, struct ktstr_err *err);
/* Execute a command without arguments and wait for its return. */
int ktstr_qmp_execute(int fd, const char *command, int timeout_ms, struct ktstr_err *err);
/* Send keys (e.g. "alt-sysrq-d" style combos: {"ctrl","alt","delete"}). */
int ktstr_qmp_send_keys(int fd, const char *const *keys, unsigned n, int timeout_ms,
			struct ktstr_err *err);

#endif /* KTSTR_VM_H */
