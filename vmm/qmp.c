// SPDX-License-Identifier: GPL-2.0-only
/*
 * A minimal synchronous QMP client over the inherited socket.
 *
 * QMP messages are JSON objects separated by newlines; events may arrive
 * between a command and its return, so we read objects until one carries
 * "return" or "error".  Every wait is bounded: QMP is used while tearing a
 * VM down, where blocking forever would be the worst possible bug.
 */
#include <errno.h>
#include <jansson.h>
#include <poll.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "ktstr/vm.h"

struct qmp_reader {
	char buf[65536];
	size_t len;
};

static long now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return ts.tv_sec * 1000L + ts.tv_nsec / 1000000L;
}

/* Read one newline-terminated JSON object; NULL on timeout/EOF/garbage. */
static json_t *qmp_read(int fd, struct qmp_reader *rd, long deadline, struct ktstr_err *err)
{
	for (;;) {
		char *nl = memchr(rd->buf, '\n', rd->len);
		struct pollfd p = { .fd = fd, .events = POLLIN };
		long left;
		ssize_t n;

		if (nl) {
			json_error_t je;
			size_t line = (size_t)(nl - rd->buf) + 1;
			json_t *j = json_loadb(rd->buf, line, 0, &je);

			memmove(rd->buf, rd->buf + line, rd->len - line);
			rd->len -= line;
			if (!j || !json_is_object(j)) {
				json_decref(j);
				ktstr_err_set(err, -EPROTO, "QMP sent malformed JSON: %s", je.text);
				return NULL;
			}
			return j;
		}
		if (rd->len == sizeof(rd->buf)) {
			ktstr_err_set(err, -EPROTO, "QMP message too long");
			return NULL;
		}
		left = deadline - now_ms();
		if (left <= 0) {
			ktstr_err_set(err, -ETIMEDOUT, "QMP did not answer in time");
			return NULL;
		}
		if (poll(&p, 1, (int)left) < 0) {
			if (errno == EINTR)
				continue;
			ktstr_err_set(err, -errno, "QMP poll: %s", strerror(errno));
			return NULL;
		}
		if (!(p.revents & (POLLIN | POLLHUP)))
			continue;
		n = read(fd, rd->buf + rd->len, sizeof(rd->buf) - rd->len);
		if (n < 0 && (errno == EINTR || errno == EAGAIN))
			continue;
		if (n <= 0) {
			ktstr_err_set(err, -EPIPE, "QMP connection closed");
			return NULL;
		}
		rd->len += (size_t)n;
	}
}

static int qmp_send(int fd, json_t *cmd, struct ktstr_err *err)
{
	char *s = json_dumps(cmd, JSON_COMPACT);
	size_t len, off = 0;

	if (!s)
		return ktstr_err_set(err, -ENOMEM, "out of memory encoding a QMP command");
	len = strlen(s);
	while (off < len) {
		ssize_t n = write(fd, s + off, len - off);

		if (n < 0 && errno == EINTR)
			continue;
		if (n <= 0) {
			free(s);
			return ktstr_err_set(err, -EPIPE, "QMP write failed: %s", strerror(errno));
		}
		off += (size_t)n;
	}
	free(s);
	return 0;
}

static int qmp_call(int fd, struct qmp_reader *rd, json_t *cmd, long deadline,
		    struct ktstr_err *err)
{
	int r = qmp_send(fd, cmd, err);

	json_decref(cmd);
	if (r)
		return r;
	for (;;) {
		json_t *j = qmp_read(fd, rd, deadline, err);
		json_t *e;

		if (!j)
			return err ? err->code : -EPROTO;
		if (json_object_get(j, "return")) {
			json_decref(j);
			return 0;
		}
		e = json_object_get(j, "error");
		if (e) {
			const char *desc = json_string_value(json_object_get(e, "desc"));

			r = ktstr_err_set(err, -EIO, "QMP error: %s", desc ? desc : "(no description)");
			json_decref(j);
			return r;
		}
		json_decref(j);   /* an asynchronous event: keep waiting */
	}
}

int ktstr_qmp_handshake(int fd, int timeout_ms, struct ktstr_err *err)
{
	struct qmp_reader rd = { .len = 0 };
	long deadline = now_ms() + timeout_ms;
	json_t *greeting = qmp_read(fd, &rd, deadline, err);

	if (!greeting)
		return err ? err->code : -EPROTO;
	if (!json_object_get(greeting, "QMP")) {
		json_decref(greeting);
		return ktstr_err_set(err, -EPROTO, "QMP greeting missing");
	}
	json_decref(greeting);
	return qmp_call(fd, &rd, json_pack("{s:s}", "execute", "qmp_capabilities"), deadline, err);
}

int ktstr_qmp_execute(int fd, const char *command, int timeout_ms, struct ktstr_err *err)
{
	struct qmp_reader rd = { .len = 0 };

	return qmp_call(fd, &rd, json_pack("{s:s}", "execute", command),
			now_ms() + timeout_ms, err);
}

int ktstr_qmp_send_keys(int fd, const char *const *keys, unsigned n, int timeout_ms,
			struct ktstr_err *err)
{
	struct qmp_reader rd = { .len = 0 };
	json_t *arr = json_array();

	for (unsigned i = 0; i < n; i++)
		json_array_append_new(arr, json_pack("{s:s,s:s}", "type", "qcode", "data", keys[i]));
	return qmp_call(fd, &rd, json_pack("{s:s,s:{s:o}}", "execute", "send-key", "arguments",
					    "keys", arr),
			now_ms() + timeout_ms, err);
}
