// SPDX-License-Identifier: GPL-2.0-only
/*
 * The QEMU backend: fork + exec qemu-system-x86_64 with every channel passed
 * as an inherited file descriptor.
 *
 * The child arms PR_SET_PDEATHSIG before exec, so QEMU dies with us even
 * when we are SIGKILLed, and it gets its own process group, so a terminal's
 * Ctrl-C reaches only us: we stop QEMU ourselves and still print the dump.
 * A CLOEXEC status pipe reports exec failures synchronously, so "QEMU is not
 * installed" is an immediate, precise error rather than a boot timeout.
 */
#include <errno.h>
#include <fcntl.h>
#include <sched.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/prctl.h>
#include <sys/socket.h>
#include <sys/wait.h>
#include <unistd.h>

#include "ktstr/vm.h"

static void close_fd(int *fd)
{
	if (*fd >= 0) {
		close(*fd);
		*fd = -1;
	}
}

static int make_pair(int host_guest[2])
{
	return socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC, 0, host_guest);
}

static int set_nonblock(int fd)
{
	int fl = fcntl(fd, F_GETFL);

	return fl < 0 ? -1 : fcntl(fd, F_SETFL, fl | O_NONBLOCK);
}

static const char *qemu_binary(const struct ktstr_vm_config *cfg)
{
	const char *env = getenv("KTSTR_QEMU");

	if (cfg->qemu_binary && *cfg->qemu_binary)
		return cfg->qemu_binary;
	return env && *env ? env : "qemu-system-x86_64";
}

static void cmdline_string(struct ktstr_vm *vm, const struct ktstr_argv *a)
{
	size_t off = 0;

	vm->cmdline[0] = '\0';
	for (size_t i = 0; i < a->n && off < sizeof(vm->cmdline); i++) {
		bool q = strpbrk(a->v[i], " \t'\"") != NULL;
		int n = snprintf(vm->cmdline + off, sizeof(vm->cmdline) - off, "%s%s%s%s",
				 i ? " " : "", q ? "'" : "", a->v[i], q ? "'" : "");

		if (n < 0)
			break;
		off += (size_t)n;
	}
}

/* In the child: never returns. */
static void child_exec(const struct ktstr_argv *a, const int *keep, unsigned n_keep,
		       int stderr_w, int status_w, pid_t parent, const cpu_set_t *pin)
{
	sigset_t none;
	int devnull;

	if (prctl(PR_SET_PDEATHSIG, SIGKILL) || getppid() != parent)
		_exit(127);   /* the parent is already gone */
	setpgid(0, 0);
	sigemptyset(&none);
	sigprocmask(SIG_SETMASK, &none, NULL);
	for (int s = 1; s < NSIG; s++)
		signal(s, SIG_DFL);

	devnull = open("/dev/null", O_RDWR);
	if (devnull >= 0) {
		dup2(devnull, STDIN_FILENO);
		dup2(devnull, STDOUT_FILENO);
	}
	dup2(stderr_w, STDERR_FILENO);
	/* CTest resource allocation: QEMU and every thread it starts stay on these CPUs. */
	if (pin && sched_setaffinity(0, sizeof(*pin), pin)) {
		static const char msg[] = "ktstr: cannot pin QEMU to the allocated host CPUs; "
					  "running unpinned\n";
		ssize_t w = write(STDERR_FILENO, msg, sizeof(msg) - 1);

		(void)w;
	}
	for (unsigned i = 0; i < n_keep; i++) {
		int fl = fcntl(keep[i], F_GETFD);

		if (fl >= 0)
			fcntl(keep[i], F_SETFD, fl & ~FD_CLOEXEC);
	}
	execvp(a->v[0], a->v);
	{
		int e = errno;
		ssize_t w = write(status_w, &e, sizeof(e));

		(void)w;
	}
	_exit(127);
}

static int qemu_start(struct ktstr_vm *vm, struct ktstr_err *err)
{
	int con[2] = { -1, -1 }, res[2] = { -1, -1 }, slog[2] = { -1, -1 };
	int qmp[2] = { -1, -1 }, errp[2] = { -1, -1 }, stp[2] = { -1, -1 };
	struct ktstr_argv argv = { 0 };
	struct ktstr_qemu_fds fds;
	const char *qemu = qemu_binary(&vm->cfg);
	int keep[5], exec_errno = 0, r;
	pid_t parent = getpid(), pid;
	cpu_set_t pin;
	ssize_t n;

	if (make_pair(con) || make_pair(res) || make_pair(slog) || make_pair(qmp) ||
	    pipe2(errp, O_CLOEXEC) || pipe2(stp, O_CLOEXEC)) {
		r = ktstr_err_set(err, -errno, "cannot create VM channels: %s", strerror(errno));
		goto fail;
	}
	fds.console = con[1];
	fds.results = res[1];
	fds.schedlog = slog[1];
	fds.qmp = qmp[1];
	fds.initrd = vm->cfg.initrd_fd;
	r = ktstr_qemu_build_argv(&vm->cfg, qemu, &fds, &argv);
	if (r) {
		ktstr_err_set(err, r, "cannot build the QEMU command line for topology %ux%ux%ux%u",
			      vm->cfg.topo.numa_nodes, vm->cfg.topo.llcs,
			      vm->cfg.topo.cores_per_llc, vm->cfg.topo.threads_per_core);
		goto fail;
	}
	cmdline_string(vm, &argv);
	keep[0] = con[1];
	keep[1] = res[1];
	keep[2] = slog[1];
	keep[3] = qmp[1];
	keep[4] = vm->cfg.initrd_fd;
	CPU_ZERO(&pin);
	if (vm->cfg.cpu_set)
		for (unsigned c = 0; c < KTSTR_MAX_CPUS && c < CPU_SETSIZE; c++)
			if (ktstr_cpuset_test(vm->cfg.cpu_set, c))
				CPU_SET(c, &pin);

	fflush(NULL);   /* no duplicated stdio buffers in the child */
	pid = fork();
	if (pid < 0) {
		r = ktstr_err_set(err, -errno, "cannot fork QEMU: %s", strerror(errno));
		goto fail;
	}
	if (pid == 0)
		child_exec(&argv, keep, 5, errp[1], stp[1], parent,
			   vm->cfg.cpu_set && CPU_COUNT(&pin) ? &pin : NULL);

	vm->pid = pid;
	close_fd(&con[1]);
	close_fd(&res[1]);
	close_fd(&slog[1]);
	close_fd(&qmp[1]);
	close_fd(&errp[1]);
	close_fd(&stp[1]);

	/* EOF: exec succeeded (CLOEXEC closed it); an int: exec failed. */
	do {
		n = read(stp[0], &exec_errno, sizeof(exec_errno));
	} while (n < 0 && errno == EINTR);
	close_fd(&stp[0]);
	if (n == (ssize_t)sizeof(exec_errno)) {
		waitpid(pid, &vm->wait_status, 0);
		vm->exited = true;
		vm->pid = 0;
		r = ktstr_err_set(err, -exec_errno,
				  "cannot start QEMU '%s': %s. Install it with "
				  "`apt-get install qemu-system-x86` (ci/setup.sh does), or set "
				  "KTSTR_QEMU to the qemu-system-x86_64 binary",
				  qemu, strerror(exec_errno));
		goto fail;
	}

	vm->console_fd = con[0];
	vm->results_fd = res[0];
	vm->schedlog_fd = slog[0];
	vm->qmp_fd = qmp[0];
	vm->stderr_fd = errp[0];
	set_nonblock(vm->console_fd);
	set_nonblock(vm->results_fd);
	set_nonblock(vm->schedlog_fd);
	set_nonblock(vm->stderr_fd);
	set_nonblock(vm->qmp_fd);
	ktstr_argv_free(&argv);
	return 0;

fail:
	ktstr_argv_free(&argv);
	close_fd(&con[0]); close_fd(&con[1]);
	close_fd(&res[0]); close_fd(&res[1]);
	close_fd(&slog[0]); close_fd(&slog[1]);
	close_fd(&qmp[0]); close_fd(&qmp[1]);
	close_fd(&errp[0]); close_fd(&errp[1]);
	close_fd(&stp[0]); close_fd(&stp[1]);
	return r;
}

static void qemu_kill(struct ktstr_vm *vm)
{
	/* SIGKILL: QEMU ends in ~6 ms; nothing in the guest is worth waiting for. */
	vm->killed_by_us = true;
	kill(vm->pid, SIGKILL);
}

static int qemu_reap(struct ktstr_vm *vm, bool block)
{
	pid_t p;

	do {
		p = waitpid(vm->pid, &vm->wait_status, block ? 0 : WNOHANG);
	} while (p < 0 && errno == EINTR);
	if (p == 0)
		return 0;
	if (p < 0)
		return -errno;
	vm->exited = true;
	return 1;
}

static void qemu_cleanup(struct ktstr_vm *vm)
{
	close_fd(&vm->console_fd);
	close_fd(&vm->results_fd);
	close_fd(&vm->schedlog_fd);
	close_fd(&vm->qmp_fd);
	close_fd(&vm->stderr_fd);
}

const struct ktstr_vm_backend ktstr_vm_qemu_backend = {
	.name = "qemu",
	.start = qemu_start,
	.kill = qemu_kill,
	.reap = qemu_reap,
	.cleanup = qemu_cleanup,
};
