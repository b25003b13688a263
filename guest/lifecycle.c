// SPDX-License-Identifier: GPL-2.0-only
/* How PID 1 ends: it never exits (that panics the kernel), it powers off. */
#include <sys/reboot.h>
#include <unistd.h>

#include "agent.h"

void agent_poweroff(void)
{
	sync();
	reboot(RB_POWER_OFF);
	/* Only reached without CAP_SYS_BOOT, i.e. in a unit test gone wrong. */
	for (;;)
		pause();
}

void agent_hang(void)
{
	for (;;)
		pause();
}
