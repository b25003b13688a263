// SPDX-License-Identifier: GPL-2.0-only
/*
 * ForkExit: fork a child that _exit(0)s at once, reap it, repeat; one unit
 * per child.  Stresses task creation and exit, the fork balancing decision
 * and the wakeup of the waiting parent.  The wait for the child counts as
 * blocked time (the parent sleeps by choice while the child runs).
 */
#include <errno.h>
#include <sys/wait.h>
#include <unistd.h>

#include "clock.h"
#include "work.h"

static uint64_t fork_burst(void *state, struct agent_work_ctx *ctx)
{
	uint64_t t0;
	pid_t pid;
	int status;

	(void)state;
	pid = fork();
	if (pid < 0)
		return 0;          /* out of PIDs or memory for now: try again */
	if (pid == 0)
		_exit(0);
	t0 = agent_mono_ns();
	while (waitpid(pid, &status, 0) < 0 && errno == EINTR)
		;
	ctx->blocked_ns += agent_mono_ns() - t0;
	return 1;
}

const struct agent_work agent_work_fork_exit = {
	.name = "ForkExit",
	.burst = fork_burst,
	.checkpoint_units = 1,
};
