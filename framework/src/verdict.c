// SPDX-License-Identifier: GPL-2.0-only
/*
 * The host's answer to the guest's VERDICT_REQUEST.
 *
 * Checks are judged on the host, after the guest reported its workers; by
 * then a healthy run would have stopped its sched_ext scheduler, and with it
 * the state worth seeing when a check failed.  So, with the scheduler still
 * attached, the agent sends its WORKER frames, then VERDICT_REQUEST, and
 * waits (bounded) for this answer on the same port: the checks evaluated on
 * what it sent, and whether to write 'D' to /proc/sysrq-trigger, which makes
 * the kernel emit the scheduler's debug dump through the sched_ext_dump
 * tracepoint (the dump's `--- sched_ext dump ---`).  The report evaluates
 * the checks again at the end, on the same data.
 */
#include <errno.h>
#include <poll.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <jansson.h>

#include "ktstr/proto.h"
#include "runner.h"
#include "verdict.h"

/* How long the host keeps trying to write the answer into a full port. */
#define VERDICT_WRITE_MS 1000

json_t *ktstr_verdict_json(const struct ktstr_check_outcome out[KTSTR_CHECK__COUNT], char *failed,
			   size_t len)
{
	json_t *o = json_object(), *list = json_array();
	size_t off = 0;

	if (len)
		failed[0] = '\0';
	if (!o || !list) {
		json_decref(o);
		json_decref(list);
		return NULL;
	}
	for (unsigned i = 0; i < KTSTR_CHECK__COUNT; i++) {
		const char *name = ktstr_check_name(out[i].id);

		if (!out[i].enabled || out[i].passed)
			continue;
		json_array_append_new(list, json_string(name));
		if (off < len)
			off += (size_t)snprintf(failed + off, len - off, "%s%s", off ? ", " : "", name);
	}
	json_object_set_new(o, "dump", json_boolean(json_array_size(list) > 0));
	json_object_set_new(o, "failed", list);
	return o;
}

int ktstr_verdict_send(int fd, json_t *o)
{
	char *payload = o ? json_dumps(o, JSON_COMPACT) : NULL;
	size_t plen, done = 0;
	char *buf;
	long n;
	int waited = 0, ret = 0;

	json_decref(o);
	if (!payload)
		return -ENOMEM;
	plen = strlen(payload);
	buf = malloc(KTSTR_FRAME_HDR_SIZE + plen);
	if (!buf) {
		free(payload);
		return -ENOMEM;
	}
	n = ktstr_frame_encode(KTSTR_FRAME_VERDICT, payload, plen, buf, KTSTR_FRAME_HDR_SIZE + plen);
	free(payload);
	if (n < 0) {
		free(buf);
		return (int)n;
	}
	/* The fd is non-blocking and a few dozen bytes: a bounded retry covers a full buffer. */
	while (done < (size_t)n) {
		/* a QEMU that just exited must cost an EPIPE, not a SIGPIPE that kills the runner */
		ssize_t w = send(fd, buf + done, (size_t)n - done, MSG_NOSIGNAL);

		if (w < 0 && errno == ENOTSOCK)
			w = write(fd, buf + done, (size_t)n - done);

		if (w > 0) {
			done += (size_t)w;
			continue;
		}
		if (w < 0 && errno == EINTR)
			continue;
		if (w < 0 && errno == EAGAIN && waited < VERDICT_WRITE_MS) {
			struct pollfd p = { .fd = fd, .events = POLLOUT };

			poll(&p, 1, 50);
			waited += 50;
			continue;
		}
		ret = w < 0 ? -errno : -EIO;
		break;
	}
	free(buf);
	return ret;
}

void ktstr_verdict_answer(struct ktstr_runner *r)
{
	struct ktstr_check_outcome *out;
	double t = ktstr_now() - r->t0;
	json_t *o;
	int ret;

	if (r->verdict_sent || !r->vm)
		return;               /* one answer per run; a repeated request is ignored */
	r->verdict_requested = true;
	out = calloc(KTSTR_CHECK__COUNT, sizeof(*out));
	if (!out)
		return;               /* the guest's bounded wait runs out: no dump, no harm */
	ktstr_report_thresholds(r);
	ktstr_checks_eval(&r->scenario, &r->th, &r->res, out);
	o = ktstr_verdict_json(out, r->verdict_failed, sizeof(r->verdict_failed));
	free(out);
	r->dump_requested = r->verdict_failed[0] != '\0';
	ret = ktstr_verdict_send(r->vm->results_fd, o);
	r->verdict_sent = !ret;
	if (ret)
		ktstr_results_event(&r->res, t, -1, "could not send the verdict to the guest: %s",
				    strerror(-ret));
	else if (r->dump_requested)
		ktstr_results_event(&r->res, t, -1, "verdict sent: check %s failed; the guest is asked "
				    "for the scheduler's SysRq-D dump", r->verdict_failed);
	else
		ktstr_results_event(&r->res, t, -1, "verdict sent: every check passed");
}
