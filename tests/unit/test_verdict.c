// SPDX-License-Identifier: GPL-2.0-only
/*
 * The host's VERDICT frame (verdict.c): which checks count as failed, the
 * payload the guest reads, and the frame written to the results port.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <unistd.h>
#include <cmocka.h>

#include "ktstr/proto.h"
#include "verdict.h"

static void outcomes(struct ktstr_check_outcome out[KTSTR_CHECK__COUNT])
{
	memset(out, 0, sizeof(struct ktstr_check_outcome) * KTSTR_CHECK__COUNT);
	for (unsigned i = 0; i < KTSTR_CHECK__COUNT; i++) {
		out[i].id = (enum ktstr_check_id)i;
		out[i].enabled = true;
		out[i].passed = true;
	}
}

static void payload(void **state)
{
	struct ktstr_check_outcome out[KTSTR_CHECK__COUNT];
	char failed[64], *text;
	json_t *o;

	(void)state;
	outcomes(out);
	o = ktstr_verdict_json(out, failed, sizeof(failed));
	text = json_dumps(o, JSON_COMPACT);
	assert_string_equal(text, "{\"dump\":false,\"failed\":[]}");
	assert_string_equal(failed, "");
	free(text);
	json_decref(o);

	/* a failed check asks for the dump; a skipped one (not enabled) does not count */
	out[KTSTR_CHECK_MAX_GAP].passed = false;
	out[KTSTR_CHECK_SPREAD].passed = false;
	out[KTSTR_CHECK_STARVATION].passed = false;
	out[KTSTR_CHECK_STARVATION].enabled = false;
	o = ktstr_verdict_json(out, failed, sizeof(failed));
	text = json_dumps(o, JSON_COMPACT);
	assert_string_equal(text, "{\"dump\":true,\"failed\":[\"max_gap\",\"spread\"]}");
	assert_string_equal(failed, "max_gap, spread");
	free(text);
	json_decref(o);
}

static void frame_on_port(void **state)
{
	struct ktstr_check_outcome out[KTSTR_CHECK__COUNT];
	struct ktstr_frame_parser p;
	struct ktstr_frame f;
	char failed[64], buf[512];
	int sv[2];
	ssize_t n;

	(void)state;
	outcomes(out);
	out[KTSTR_CHECK_MAX_GAP].passed = false;
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	assert_int_equal(ktstr_verdict_send(sv[0], ktstr_verdict_json(out, failed, sizeof(failed))),
			 0);
	n = read(sv[1], buf, sizeof(buf));
	assert_true(n > KTSTR_FRAME_HDR_SIZE);
	ktstr_frame_parser_init(&p);
	assert_int_equal(ktstr_frame_parser_feed(&p, buf, (size_t)n), 0);
	assert_int_equal(ktstr_frame_parser_next(&p, &f), 1);
	assert_int_equal(f.type, KTSTR_FRAME_VERDICT);
	assert_string_equal(f.payload, "{\"dump\":true,\"failed\":[\"max_gap\"]}");
	assert_int_equal(ktstr_frame_parser_next(&p, &f), 0);
	ktstr_frame_parser_free(&p);

	/* nobody listens any more: an error, not a hang */
	close(sv[1]);
	assert_int_equal(ktstr_verdict_send(sv[0], ktstr_verdict_json(out, failed, sizeof(failed))),
			 -EPIPE);
	close(sv[0]);
	assert_int_equal(ktstr_verdict_send(-1, NULL), -ENOMEM);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(payload),
		cmocka_unit_test(frame_on_port),
	};

	/* no SIG_IGN for SIGPIPE: the runner does not ignore it either, so the test would die */
	return cmocka_run_group_tests(tests, NULL, NULL);
}
