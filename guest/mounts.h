/* SPDX-License-Identifier: GPL-2.0-only */
/* The pseudo filesystems PID 1 has to mount itself. */
#ifndef AGENT_MOUNTS_H
#define AGENT_MOUNTS_H

#define AGENT_MAX_NOTES 8

/* Failures worth telling the host about, as LOG frames once it listens. */
struct agent_notes {
	char msg[AGENT_MAX_NOTES][256];
	unsigned n;
};

/*
 * Mount proc, sysfs, devtmpfs, tmpfs and cgroup2, then best effort tracefs,
 * bpffs and debugfs.  Never fails: what did not mount is noted (and printed
 * on the console); the step that needs it reports the error.
 */
void agent_mount_all(struct agent_notes *notes);

/*
 * The kernel opens /dev/console for init only if the initramfs has the node;
 * otherwise fds 0-2 are closed.  Point the missing ones at the console once
 * devtmpfs is up, so stderr reaches ttyS0 and no later open() lands on 0-2.
 */
void agent_console_fds(void);

#endif /* AGENT_MOUNTS_H */
