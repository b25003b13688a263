// SPDX-License-Identifier: GPL-2.0-only
/*
 * The results port: discovery in a fake /sys/class/virtio-ports, opening a
 * fake /dev node, and frames that the host's parser reads back.
 */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <cmocka.h>
#include <fcntl.h>
#include <sys/socket.h>
#include <time.h>

#include "ktstr/proto.h"
#include "ktstr/results.h"

#include "channel.h"
#include "report.h"
#include "test_guest_tree.h"

static void test_find(void **state)
{
	char *root = tree_new(), dev[64];

	(void)state;
	assert_int_equal(agent_channel_find(root, "ktstr.results", dev, sizeof(dev)), -ENOENT);
	tree_file(root, "org.qemu.guest_agent.0", "class/virtio-ports/vport0p1/name");
	tree_file(root, "ktstr.schedlog", "class/virtio-ports/vport1p1/name");
	tree_file(root, "ktstr.results", "class/virtio-ports/vport1p2/name");
	tree_dir(root, "class/virtio-ports/vport1p3");     /* no name file */
	assert_int_equal(agent_channel_find(root, "ktstr.results", dev, sizeof(dev)), 0);
	assert_string_equal(dev, "vport1p2");
	assert_int_equal(agent_channel_find(root, "ktstr.result", dev, sizeof(dev)), -ENOENT);
	tree_free(root);
}

static void test_open_missing(void **state)
{
	struct agent_channel ch;
	struct ktstr_err err = { 0 };
	char *root = tree_new(), want[512];

	(void)state;
	assert_int_equal(agent_channel_open(&ch, root, root, "ktstr.results", 50, &err), -ENOENT);
	snprintf(want, sizeof(want), "no virtio-serial port named 'ktstr.results' under "
		 "%s/class/virtio-ports after 50 ms", root);
	assert_string_equal(err.msg, want);
	/* the sysfs entry exists, the device node does not */
	tree_file(root, "ktstr.results", "class/virtio-ports/vport2p1/name");
	assert_int_equal(agent_channel_open(&ch, root, root, "ktstr.results", 0, &err), -ENOENT);
	snprintf(want, sizeof(want), "open %s/vport2p1 (port 'ktstr.results'): No such file or "
		 "directory", root);
	assert_string_equal(err.msg, want);
	tree_free(root);
}

/* Frames written to a regular file stand in for the port; parse them back. */
static void test_send_roundtrip(void **state)
{
	struct ktstr_frame_parser p;
	struct agent_channel ch;
	struct ktstr_frame f;
	struct ktstr_err err = { 0 };
	char *root = tree_new(), path[512], buf[4096];
	static struct agent_workers ws;
	struct agent_worker_slot *slot;
	json_t *j;
	ssize_t n;
	int fd;

	(void)state;
	/* a worker SIGKILLed at the deadline: it never wrote its final fields */
	ws.shm = calloc(1, sizeof(*ws.shm) + sizeof(ws.shm->slots[0]));
	ws.n = 1;
	ws.release_ns = 1000000000ull;
	ws.w[0] = (struct agent_worker){ .index = 0, .pid = 77, .status = AGENT_WORKER_KILLED,
					 .signal = 9, .work = &agent_work_spin, .sigkilled = true,
					 .start_ns = 1000000000ull, .end_ns = 3000000000ull };
	slot = &ws.shm->slots[0];
	slot->work_units = 4096;
	slot->max_gap_ns = 1500000;
	slot->max_gap_at_ns = 1900000000ull;
	slot->max_gap_cpu = 1;
	slot->migrations = 2;
	slot->cpus_used[0] = 0x6;
	slot->checkpoints = 40;
	slot->node_checkpoints[0] = 30;
	slot->node_checkpoints[1] = 10;
	slot->allowed[0] = 0xf;
	/* schedstat from a worker that did not finish is not sent */
	slot->schedstat_ok = 1;
	slot->run_ns = 5;
	/*
	 * Killed in the middle of recording a sample: the bucket was bumped,
	 * count and max were not.  The frame must still add up.
	 */
	ktstr_wake_hist_add(&slot->wake, 3000);
	ktstr_wake_hist_add(&slot->wake, 40000);
	slot->wake.buckets[ktstr_wake_bucket(9000000)]++;
	tree_file(root, "ktstr.results", "class/virtio-ports/vport0p1/name");
	tree_file(root, "", "vport0p1");
	assert_int_equal(agent_channel_open(&ch, root, root, "ktstr.results", 0, &err), 0);
	assert_int_equal(agent_send(&ch, KTSTR_FRAME_HELLO,
				    agent_json_hello("7.2.13", 1234, "run")), 0);
	assert_int_equal(agent_send(&ch, KTSTR_FRAME_WORKER,
				    agent_json_worker(&ws, 0, "cg_0", "1-2")), 0);
	assert_int_equal(agent_send(&ch, KTSTR_FRAME_ERROR,
				    agent_json_error("bad \xff byte")), 0);
	assert_int_equal(agent_send(&ch, KTSTR_FRAME_DONE, NULL), -ENOMEM);
	assert_int_equal(ch.frames, 3);
	agent_channel_close(&ch);

	snprintf(path, sizeof(path), "%s/vport0p1", root);
	fd = open(path, O_RDONLY);
	n = read(fd, buf, sizeof(buf));
	close(fd);
	assert_true(n > 0);
	ktstr_frame_parser_init(&p);
	assert_int_equal(ktstr_frame_parser_feed(&p, buf, (size_t)n), 0);

	assert_int_equal(ktstr_frame_parser_next(&p, &f), 1);
	assert_int_equal(f.type, KTSTR_FRAME_HELLO);
	assert_string_equal(f.payload, "{\"agent\":\"" AGENT_VERSION_STRING "\",\"kernel\":\"7.2.13\","
				       "\"uptime_ms\":1234,\"mode\":\"run\"}");

	assert_int_equal(ktstr_frame_parser_next(&p, &f), 1);
	assert_int_equal(f.type, KTSTR_FRAME_WORKER);
	j = json_loads(f.payload, 0, NULL);
	assert_non_null(j);
	assert_int_equal(json_integer_value(json_object_get(j, "tid")), 77);
	assert_string_equal(json_string_value(json_object_get(j, "work")), "SpinWait");
	assert_string_equal(json_string_value(json_object_get(j, "cpus")), "1-2");
	assert_string_equal(json_string_value(json_object_get(j, "cpuset")), "1-2");
	assert_string_equal(json_string_value(json_object_get(j, "status")), "killed");
	assert_int_equal(json_integer_value(json_object_get(j, "signal")), 9);
	assert_int_equal(json_integer_value(json_object_get(j, "max_gap_ns")), 1500000);
	assert_int_equal(json_integer_value(json_object_get(j, "migrations")), 2);
	/* the parent's view of its life: release to reap */
	assert_int_equal(json_integer_value(json_object_get(j, "wall_ns")), 2000000000);
	assert_null(json_object_get(j, "exit_code"));
	assert_int_equal(json_integer_value(json_object_get(j, "checkpoints")), 40);
	assert_string_equal(json_string_value(json_object_get(j, "allowed")), "0-3");
	assert_null(json_object_get(j, "schedstat"));
	assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "wake"), "count")), 3);
	/* max raised into the highest bucket the samples reached */
	assert_int_equal(json_integer_value(json_object_get(json_object_get(j, "wake"), "max_ns")),
			 ktstr_wake_bucket_lo(ktstr_wake_bucket(9000000)));
	json_decref(j);
	{
		/* and the host takes it whole */
		static struct ktstr_run_result r;
		const struct ktstr_worker_result *x = &r.workers[0];

		ktstr_results_init(&r);
		assert_int_equal(ktstr_results_apply_frame(&r, &f, 0), 0);
		assert_int_equal(r.n_workers, 1);
		assert_int_equal(x->checkpoints, 40);
		assert_int_equal(x->node_checkpoints[0], 30);
		assert_int_equal(x->node_checkpoints[1], 10);
		assert_true(x->has_allowed);
		assert_false(x->has_schedstat);
		assert_int_equal(x->wake.count, 3);
		assert_true(ktstr_wake_percentile(&x->wake, 0.5) > 40000);
		assert_true(ktstr_wake_percentile(&x->wake, 0.5) <= 45000);
	}

	assert_int_equal(ktstr_frame_parser_next(&p, &f), 1);
	assert_int_equal(f.type, KTSTR_FRAME_ERROR);
	assert_string_equal(f.payload, "{\"msg\":\"bad ? byte\"}");
	assert_int_equal(ktstr_frame_parser_next(&p, &f), 0);
	assert_int_equal(p.frames_bad, 0);
	ktstr_frame_parser_free(&p);
	free(ws.shm);
	tree_free(root);
}

/* One encoded frame written to fd, as the host's verdict.c writes it. */
static void host_frame(int fd, unsigned type, const char *json)
{
	char buf[512];
	long n = ktstr_frame_encode(type, json, strlen(json), buf, sizeof(buf));

	assert_true(n > 0);
	assert_int_equal(write(fd, buf, (size_t)n), n);
}

static uint64_t now_ms(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (uint64_t)ts.tv_sec * 1000u + (uint64_t)ts.tv_nsec / 1000000u;
}

/* The host's one answer: found among garbage and other frames, and every wait is bounded. */
static void test_wait_frame(void **state)
{
	struct agent_channel ch = { .fd = -1 };
	int sv[2], err;
	uint64_t t0;
	json_t *o;

	(void)state;
	assert_null(agent_channel_wait_frame(&ch, KTSTR_FRAME_VERDICT, 10, &err));
	assert_int_equal(err, -EBADF);
	assert_int_equal(socketpair(AF_UNIX, SOCK_STREAM, 0, sv), 0);
	ch.fd = sv[0];
	assert_int_equal(write(sv[1], "noise KTS1", 10), 10);
	host_frame(sv[1], KTSTR_FRAME_LOG, "{\"level\":\"info\",\"msg\":\"x\"}");
	host_frame(sv[1], KTSTR_FRAME_VERDICT, "{\"dump\":true,\"failed\":[\"max_gap\"]}");
	o = agent_channel_wait_frame(&ch, KTSTR_FRAME_VERDICT, 2000, &err);
	assert_non_null(o);
	assert_int_equal(err, 0);
	assert_true(json_is_true(json_object_get(o, "dump")));
	assert_string_equal(json_string_value(json_array_get(json_object_get(o, "failed"), 0)),
			    "max_gap");
	json_decref(o);

	/* nothing comes: NULL after the bound, not before and not much after */
	t0 = now_ms();
	assert_null(agent_channel_wait_frame(&ch, KTSTR_FRAME_VERDICT, 150, &err));
	assert_int_equal(err, -ETIMEDOUT);
	assert_true(now_ms() - t0 >= 150);
	assert_true(now_ms() - t0 < 1500);

	/* a payload that is not an object */
	host_frame(sv[1], KTSTR_FRAME_VERDICT, "[true]");
	assert_null(agent_channel_wait_frame(&ch, KTSTR_FRAME_VERDICT, 2000, &err));
	assert_int_equal(err, -EPROTO);

	/* the host side closed: at once, no spinning until the bound */
	close(sv[1]);
	t0 = now_ms();
	assert_null(agent_channel_wait_frame(&ch, KTSTR_FRAME_VERDICT, 5000, &err));
	assert_int_equal(err, -EPIPE);
	assert_true(now_ms() - t0 < 1000);
	close(sv[0]);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_find),
		cmocka_unit_test(test_open_missing),
		cmocka_unit_test(test_send_roundtrip),
		cmocka_unit_test(test_wait_frame),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
