// SPDX-License-Identifier: GPL-2.0-only
/*
 * Backend-independent VM handling: accelerator choice, object lifetime,
 * exit descriptions.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ktstr/vm.h"

extern const struct ktstr_vm_backend ktstr_vm_qemu_backend;

static const struct ktstr_vm_backend *const backends[] = {
	&ktstr_vm_qemu_backend,
};

const char *ktstr_accel_name(enum ktstr_accel a)
{
	switch (a) {
	case KTSTR_ACCEL_KVM: return "kvm";
	case KTSTR_ACCEL_TCG: return "tcg";
	default: return "auto";
	}
}

int ktstr_accel_parse(const char *s, enum ktstr_accel *out)
{
	if (!strcmp(s, "auto"))
		*out = KTSTR_ACCEL_AUTO;
	else if (!strcmp(s, "kvm"))
		*out = KTSTR_ACCEL_KVM;
	else if (!strcmp(s, "tcg"))
		*out = KTSTR_ACCEL_TCG;
	else
		return -EINVAL;
	return 0;
}

enum ktstr_accel ktstr_accel_resolve(enum ktstr_accel a, char *why, size_t why_len)
{
	int fd;

	if (a != KTSTR_ACCEL_AUTO) {
		snprintf(why, why_len, "requested");
		return a;
	}
	/* Usable means openable read-write, not merely present. */
	fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (fd >= 0) {
		close(fd);
		snprintf(why, why_len, "/dev/kvm is usable");
		return KTSTR_ACCEL_KVM;
	}
	snprintf(why, why_len, "/dev/kvm %s: software emulation",
		 errno == ENOENT ? "not found" : "not accessible");
	return KTSTR_ACCEL_TCG;
}

int ktstr_accel_check_kvm(struct ktstr_err *err)
{
	int fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);

	if (fd >= 0) {
		close(fd);
		return 0;
	}
	if (errno == ENOENT)
		return ktstr_err_set(err, -ENOENT,
				     "/dev/kvm not found. KVM requires:\n"
				     "  - Linux kernel with KVM support (CONFIG_KVM)\n"
				     "  - Access to /dev/kvm (check permissions or add user to 'kvm' group)\n"
				     "  - Hardware virtualization enabled in BIOS (VT-x/AMD-V)\n"
				     "or run with --accel=auto to fall back to TCG software emulation");
	if (errno == EACCES || errno == EPERM)
		return ktstr_err_set(err, -EACCES,
				     "/dev/kvm: permission denied. Add your user to the 'kvm' group:\n"
				     "  sudo usermod -aG kvm $USER\n"
				     "then log out and back in (or run with --accel=auto to use TCG)");
	return ktstr_err_set(err, -errno, "/dev/kvm cannot be opened: %s", strerror(errno));
}

int ktstr_vm_create(const char *backend, const struct ktstr_vm_config *cfg,
		    struct ktstr_vm **out, struct ktstr_err *err)
{
	struct ktstr_vm *vm;

	for (size_t i = 0; i < sizeof(backends) / sizeof(backends[0]); i++) {
		if (strcmp(backends[i]->name, backend))
			continue;
		vm = calloc(1, sizeof(*vm));
		if (!vm)
			return ktstr_err_set(err, -ENOMEM, "out of memory creating the VM");
		vm->backend = backends[i];
		vm->cfg = *cfg;
		vm->console_fd = vm->results_fd = vm->schedlog_fd = -1;
		vm->qmp_fd = vm->stderr_fd = -1;
		*out = vm;
		return 0;
	}
	return ktstr_err_set(err, -EINVAL, "unknown VM backend '%s' (available: qemu)", backend);
}

int ktstr_vm_start(struct ktstr_vm *vm, struct ktstr_err *err)
{
	return vm->backend->start(vm, err);
}

void ktstr_vm_kill(struct ktstr_vm *vm)
{
	if (vm && vm->pid > 0 && !vm->exited)
		vm->backend->kill(vm);
}

int ktstr_vm_reap(struct ktstr_vm *vm, bool block)
{
	if (!vm || vm->pid <= 0)
		return -ECHILD;
	if (vm->exited)
		return 1;
	return vm->backend->reap(vm, block);
}

void ktstr_vm_destroy(struct ktstr_vm *vm)
{
	if (!vm)
		return;
	if (vm->pid > 0 && !vm->exited) {
		vm->backend->kill(vm);
		vm->backend->reap(vm, true);
	}
	vm->backend->cleanup(vm);
	free(vm);
}

void ktstr_vm_describe_exit(const struct ktstr_vm *vm, char *buf, size_t len)
{
	int st = vm->wait_status;

	if (!vm->exited)
		snprintf(buf, len, "still running");
	else if (WIFEXITED(st))
		snprintf(buf, len, "exited with status %d%s", WEXITSTATUS(st),
			 vm->killed_by_us ? " after ktstr stopped it" : "");
	else if (WIFSIGNALED(st))
		snprintf(buf, len, "killed by signal %d (%s)%s", WTERMSIG(st),
			 strsignal(WTERMSIG(st)), vm->killed_by_us ? ", sent by ktstr" : "");
	else
		snprintf(buf, len, "ended with wait status 0x%x", st);
}
