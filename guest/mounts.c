// SPDX-License-Identifier: GPL-2.0-only
/* Mounting the pseudo filesystems, console fds. */
#include <errno.h>
#include <fcntl.h>
#include <stdbool.h>
#include <stdio.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/stat.h>
#include <unistd.h>

#include "mounts.h"

struct agent_mount {
	const char *fstype;
	const char *target;
	unsigned long flags;
	bool required;
};

static const struct agent_mount agent_mounts[] = {
	{ "proc", "/proc", MS_NOSUID | MS_NODEV | MS_NOEXEC, true },
	{ "sysfs", "/sys", MS_NOSUID | MS_NODEV | MS_NOEXEC, true },
	{ "devtmpfs", "/dev", MS_NOSUID, true },
	{ "tmpfs", "/tmp", MS_NOSUID | MS_NODEV, true },
	{ "cgroup2", "/sys/fs/cgroup", MS_NOSUID | MS_NODEV | MS_NOEXEC, true },
	{ "tracefs", "/sys/kernel/tracing", MS_NOSUID | MS_NODEV | MS_NOEXEC, false },
	{ "bpf", "/sys/fs/bpf", MS_NOSUID | MS_NODEV | MS_NOEXEC, false },
	{ "debugfs", "/sys/kernel/debug", MS_NOSUID | MS_NODEV | MS_NOEXEC, false },
};

static void note(struct agent_notes *notes, const char *fmt, const char *a, const char *b,
		 const char *c)
{
	char buf[256];

	snprintf(buf, sizeof(buf), fmt, a, b, c);
	fprintf(stderr, "ktstr-agent: %s\n", buf);
	if (notes->n < AGENT_MAX_NOTES)
		snprintf(notes->msg[notes->n++], sizeof(notes->msg[0]), "%s", buf);
}

void agent_mount_all(struct agent_notes *notes)
{
	for (size_t i = 0; i < sizeof(agent_mounts) / sizeof(agent_mounts[0]); i++) {
		const struct agent_mount *m = &agent_mounts[i];

		/* Top-level dirs may be missing from the initramfs; sysfs ones exist. */
		if (mkdir(m->target, 0755) && errno != EEXIST && m->required) {
			note(notes, "mkdir %s: %s%s", m->target, strerror(errno), "");
			continue;
		}
		if (mount(m->fstype, m->target, m->fstype, m->flags, NULL) && errno != EBUSY &&
		    (m->required || errno != ENODEV))
			note(notes, "mount %s on %s: %s", m->fstype, m->target, strerror(errno));
	}
}

void agent_console_fds(void)
{
	int fd = -1;

	for (int i = 0; i <= 2; i++) {
		if (fcntl(i, F_GETFD) >= 0)
			continue;
		if (fd < 0)
			fd = open("/dev/console", O_RDWR | O_NOCTTY);
		if (fd < 0)
			return;
		if (fd != i)
			dup2(fd, i);
	}
	if (fd > 2)
		close(fd);
}
