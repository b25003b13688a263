/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The results channel: the virtio-serial port the host named
 * KTSTR_PORT_RESULTS, carrying ktstr frames (ktstr/proto.h) with one JSON
 * object each, and in the other direction the host's one VERDICT frame.
 */
#ifndef AGENT_CHANNEL_H
#define AGENT_CHANNEL_H

#include <jansson.h>
#include <stddef.h>

#include "ktstr/error.h"

struct agent_channel {
	int fd;                    /* -1 while closed */
	char dev[64];              /* "vport1p1" */
	unsigned long frames;      /* sent so far */
};

/*
 * Find the port named `name` under sysfs_root/class/virtio-ports/ and copy
 * its device name (e.g. "vport1p1") into dev.  Returns 0 or -ENOENT.
 */
int agent_channel_find(const char *sysfs_root, const char *name, char *dev, size_t len);

/*
 * Find and open the port, polling for up to timeout_ms because virtio ports
 * are registered asynchronously after the driver probes and there is no udev
 * to wait on.  Returns 0, or -errno with err saying what was missing.
 */
int agent_channel_open(struct agent_channel *ch, const char *sysfs_root, const char *dev_root,
		       const char *name, unsigned timeout_ms, struct ktstr_err *err);

/*
 * Encode obj as one frame and write it with a single write call.  Consumes
 * the reference to obj (NULL is an -ENOMEM from the caller's json_pack).
 * Returns 0 or -errno.
 */
int agent_send(struct agent_channel *ch, unsigned type, json_t *obj);

/*
 * Wait at most timeout_ms for a frame of `type` from the host (the port is
 * bidirectional; the host writes one VERDICT frame, docs/protocol.md).
 * Frames of other types and garbage are skipped.  Returns its JSON object
 * (the caller owns it), or NULL: -ETIMEDOUT, -EPIPE when the host side
 * closed, -EPROTO when the payload is not a JSON object, -errno, in *err.
 */
json_t *agent_channel_wait_frame(struct agent_channel *ch, unsigned type, unsigned timeout_ms,
				 int *err);

void agent_channel_close(struct agent_channel *ch);

#endif /* AGENT_CHANNEL_H */
