// SPDX-License-Identifier: GPL-2.0-only
/* The results port: discovery, opening, framed JSON writes. */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ktstr/proto.h"

#include "channel.h"
#include "fileio.h"

int agent_channel_find(const char *sysfs_root, const char *name, char *dev, size_t len)
{
	char dir[256], val[128];
	struct dirent *de;
	int ret = -ENOENT;
	DIR *d;

	snprintf(dir, sizeof(dir), "%s/class/virtio-ports", sysfs_root);
	d = opendir(dir);
	if (!d)
		return -ENOENT;
	while ((de = readdir(d))) {
		if (de->d_name[0] == '.')
			continue;
		if (agent_read_filef(val, sizeof(val), "%s/%s/name", dir, de->d_name) < 0)
			continue;
		if (strcmp(val, name))
			continue;
		if ((size_t)snprintf(dev, len, "%s", de->d_name) < len)
			ret = 0;
		break;
	}
	closedir(d);
	return ret;
}

static void sleep_ms(unsigned ms)
{
	struct timespec ts = { .tv_sec = ms / 1000, .tv_nsec = (long)(ms % 1000) * 1000000L };

	while (nanosleep(&ts, &ts) < 0 && errno == EINTR)
		;
}

int agent_channel_open(struct agent_channel *ch, const char *sysfs_root, const char *dev_root,
		       const char *name, unsigned timeout_ms, struct ktstr_err *err)
{
	const unsigned step_ms = 20;
	char path[128];
	int last = -ENOENT;

	ch->fd = -1;
	ch->frames = 0;
	for (unsigned waited = 0;; waited += step_ms) {
		if (agent_channel_find(sysfs_root, name, ch->dev, sizeof(ch->dev)) == 0) {
			snprintf(path, sizeof(path), "%s/%s", dev_root, ch->dev);
			/* read too: the host answers a VERDICT_REQUEST on this port */
			ch->fd = open(path, O_RDWR | O_CLOEXEC | O_NOCTTY);
			if (ch->fd >= 0)
				return 0;
			/* The sysfs entry can precede the devtmpfs node. */
			last = -errno;
		}
		if (waited >= timeout_ms)
			break;
		sleep_ms(step_ms);
	}
	if (last == -ENOENT && !ch->dev[0])
		return ktstr_err_set(err, -ENOENT,
				     "no virtio-serial port named '%s' under %s/class/virtio-ports after %u ms",
				     name, sysfs_root, timeout_ms);
	return ktstr_err_set(err, last, "open %s/%s (port '%s'): %s", dev_root, ch->dev, name,
			     strerror(-last));
}

int agent_send(struct agent_channel *ch, unsigned type, json_t *obj)
{
	char *payload;
	void *buf;
	size_t len;
	long n;
	int ret;

	if (!obj)
		return -ENOMEM;
	payload = json_dumps(obj, JSON_COMPACT);
	json_decref(obj);
	if (!payload)
		return -ENOMEM;
	if (ch->fd < 0) {
		free(payload);
		return -EBADF;
	}
	len = strlen(payload);
	buf = malloc(KTSTR_FRAME_HDR_SIZE + len);
	if (!buf) {
		free(payload);
		return -ENOMEM;
	}
	n = ktstr_frame_encode(type, payload, len, buf, KTSTR_FRAME_HDR_SIZE + len);
	free(payload);
	if (n < 0) {
		free(buf);
		return (int)n;
	}
	/* One write per frame: the port delivers it as one unit when it can. */
	ret = agent_write_full(ch->fd, buf, (size_t)n);
	free(buf);
	if (!ret)
		ch->frames++;
	return ret;
}

static uint64_t mono_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

json_t *agent_channel_wait_frame(struct agent_channel *ch, unsigned type, unsigned timeout_ms,
				 int *err)
{
	uint64_t end = mono_ms() + timeout_ms;
	struct ktstr_frame_parser p;
	struct ktstr_frame f;
	json_t *o = NULL;
	char buf[4096];

	*err = -ETIMEDOUT;
	if (ch->fd < 0) {
		*err = -EBADF;
		return NULL;
	}
	ktstr_frame_parser_init(&p);
	for (;;) {
		uint64_t now = mono_ms();
		struct pollfd pfd = { .fd = ch->fd, .events = POLLIN };
		ssize_t n;
		int r;

		while (ktstr_frame_parser_next(&p, &f) == 1) {
			if (f.type != type)
				continue;
			o = json_loadb(f.payload ? f.payload : "", f.len, 0, NULL);
			if (!json_is_object(o)) {
				json_decref(o);
				o = NULL;
				*err = -EPROTO;
			} else {
				*err = 0;
			}
			goto out;
		}
		if (now >= end)
			break;
		r = poll(&pfd, 1, (int)(end - now));
		if (r < 0 && errno == EINTR)
			continue;
		if (r < 0) {
			*err = -errno;
			break;
		}
		if (r == 0)
			continue;    /* the deadline check ends it */
		n = read(ch->fd, buf, sizeof(buf));
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n < 0) {
			*err = -errno;
			break;
		}
		if (n == 0) {
			/* the host closed its end, or nothing will ever come: do not spin */
			*err = -EPIPE;
			break;
		}
		if (ktstr_frame_parser_feed(&p, buf, (size_t)n)) {
			*err = -ENOMEM;
			break;
		}
	}
out:
	ktstr_frame_parser_free(&p);
	return o;
}

void agent_channel_close(struct agent_channel *ch)
{
	if (ch->fd >= 0)
		close(ch->fd);
	ch->fd = -1;
}
