// SPDX-License-Identifier: GPL-2.0-only
/*
 * Frame encoding and the resynchronising parser: round trips, garbage,
 * corruption of every bit, truncation, bad headers, byte-at-a-time feeding,
 * end of stream, and a deterministic random stress loop.
 */
#include <errno.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>
#include <zlib.h>

#include "frame_helpers.h"
#include "ktstr/proto.h"

/* ---- helpers -------------------------------------------------------------- */

#define MAX_GOT 4096

struct got {
	unsigned type[MAX_GOT];
	char *payload[MAX_GOT];
	size_t n;
};

static void got_free(struct got *g)
{
	for (size_t i = 0; i < g->n; i++)
		free(g->payload[i]);
	g->n = 0;
}

/* Take every frame the parser has ready. */
static void drain(struct ktstr_frame_parser *p, struct got *g)
{
	struct ktstr_frame f;
	int rc;

	while ((rc = ktstr_frame_parser_next(p, &f)) == 1) {
		assert_true(g->n < MAX_GOT);
		assert_int_equal(strlen(f.payload), f.len);
		g->type[g->n] = f.type;
		g->payload[g->n] = strdup(f.payload);
		g->n++;
	}
	assert_int_equal(rc, 0);
}

/* Feed `b` in chunks of `chunk` bytes, draining after each; then EOF. */
static void parse_all(const struct tbuf *b, size_t chunk, struct got *g,
		      struct ktstr_frame_parser *p)
{
	for (size_t off = 0; off < b->len; off += chunk) {
		size_t n = b->len - off < chunk ? b->len - off : chunk;

		assert_int_equal(ktstr_frame_parser_feed(p, b->p + off, n), 0);
		drain(p, g);
	}
	ktstr_frame_parser_eof(p);
	drain(p, g);
	assert_int_equal(p->len, 0);      /* EOF drains everything */
}

static void put_le32(unsigned char *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (unsigned char)(v >> (8 * i));
}

/* A header with arbitrary fields and a CRC that matches them. */
static void raw_frame(struct tbuf *b, unsigned type, unsigned flags, uint32_t len,
		      const char *payload, size_t plen)
{
	unsigned char h[16];
	uLong crc;

	put_le32(h, KTSTR_FRAME_MAGIC);
	h[4] = (unsigned char)type;
	h[5] = (unsigned char)(type >> 8);
	h[6] = (unsigned char)flags;
	h[7] = (unsigned char)(flags >> 8);
	put_le32(h + 8, len);
	crc = crc32(0L, Z_NULL, 0);
	crc = crc32(crc, h, 12);
	crc = crc32(crc, (const unsigned char *)payload, (uInt)plen);
	put_le32(h + 12, (uint32_t)crc);
	tbuf_put(b, h, 16);
	tbuf_put(b, payload, plen);
}

/* ---- encoding ------------------------------------------------------------- */

static void test_encode_layout(void **state)
{
	unsigned char buf[64];
	long n = ktstr_frame_encode(KTSTR_FRAME_DONE, "{}", 2, buf, sizeof(buf));

	(void)state;
	assert_int_equal(n, 18);
	assert_memory_equal(buf, "KTS1", 4);
	assert_int_equal(buf[4], KTSTR_FRAME_DONE);
	assert_int_equal(buf[5], 0);
	assert_int_equal(buf[6] | buf[7], 0);
	assert_int_equal(buf[8], 2);
	assert_memory_equal(buf + 16, "{}", 2);
}

static void test_encode_errors(void **state)
{
	static unsigned char big[KTSTR_FRAME_MAX_PAYLOAD + 64];
	unsigned char buf[64];

	(void)state;
	assert_int_equal(ktstr_frame_encode(0, "{}", 2, buf, sizeof(buf)), -EINVAL);
	assert_int_equal(ktstr_frame_encode(KTSTR_FRAME__MAX, "{}", 2, buf, sizeof(buf)),
			 -EINVAL);
	assert_int_equal(ktstr_frame_encode(KTSTR_FRAME_LOG, NULL, 2, buf, sizeof(buf)), -EINVAL);
	assert_int_equal(ktstr_frame_encode(KTSTR_FRAME_LOG, "a\0b", 3, buf, sizeof(buf)),
			 -EINVAL);
	assert_int_equal(ktstr_frame_encode(KTSTR_FRAME_LOG, "{}", 2, buf, 17), -EMSGSIZE);
	memset(big, 'x', sizeof(big));
	assert_int_equal(ktstr_frame_encode(KTSTR_FRAME_LOG, big, KTSTR_FRAME_MAX_PAYLOAD + 1,
					    big, sizeof(big)), -EMSGSIZE);
	assert_int_equal(ktstr_frame_encode(KTSTR_FRAME_LOG, NULL, 0, buf, sizeof(buf)), 16);
}

static void test_frame_type_names(void **state)
{
	(void)state;
	assert_string_equal(ktstr_frame_type_name(KTSTR_FRAME_HELLO), "hello");
	assert_string_equal(ktstr_frame_type_name(KTSTR_FRAME_DONE), "done");
	assert_string_equal(ktstr_frame_type_name(0), "unknown");
	assert_string_equal(ktstr_frame_type_name(999), "unknown");
}

/* ---- parsing -------------------------------------------------------------- */

static void test_round_trip_every_type(void **state)
{
	struct tbuf b = { 0 };
	struct got g = { 0 };
	struct ktstr_frame_parser p;
	char json[64];

	(void)state;
	for (unsigned t = 1; t < KTSTR_FRAME__MAX; t++) {
		snprintf(json, sizeof(json), "{\"type\":%u}", t);
		tbuf_frame(&b, t, json);
	}
	tbuf_put(&b, "KTS1\x06\0\0\0\0\0\0\0", 12);        /* header start only */
	ktstr_frame_parser_init(&p);
	parse_all(&b, b.len, &g, &p);
	assert_int_equal(g.n, KTSTR_FRAME__MAX - 1);
	for (unsigned t = 1; t < KTSTR_FRAME__MAX; t++) {
		snprintf(json, sizeof(json), "{\"type\":%u}", t);
		assert_int_equal(g.type[t - 1], t);
		assert_string_equal(g.payload[t - 1], json);
	}
	assert_int_equal(p.frames_ok, KTSTR_FRAME__MAX - 1);
	assert_int_equal(p.bytes_in, b.len);
	assert_int_equal(p.bytes_skipped, 12);
	ktstr_frame_parser_free(&p);
	got_free(&g);
	tbuf_free(&b);
}

static void test_empty_payload(void **state)
{
	struct tbuf b = { 0 };
	struct got g = { 0 };
	struct ktstr_frame_parser p;

	(void)state;
	tbuf_frame(&b, KTSTR_FRAME_DONE, "");
	ktstr_frame_parser_init(&p);
	parse_all(&b, 1, &g, &p);
	assert_int_equal(g.n, 1);
	assert_string_equal(g.payload[0], "");
	ktstr_frame_parser_free(&p);
	got_free(&g);
	tbuf_free(&b);
}

static void test_garbage_around_frames(void **state)
{
	static const char junk[] = "[    0.000000] Linux version 7.2\nKTS\nKT\x01KTS1KTS";
	struct tbuf b = { 0 };
	struct got g = { 0 };
	struct ktstr_frame_parser p;

	(void)state;
	tbuf_put(&b, junk, sizeof(junk) - 1);
	tbuf_frame(&b, KTSTR_FRAME_HELLO, "{\"a\":1}");
	tbuf_put(&b, junk, sizeof(junk) - 1);
	tbuf_put(&b, "\0\0\0\xff", 4);
	tbuf_frame(&b, KTSTR_FRAME_LOG, "{\"a\":2}");
	tbuf_frame(&b, KTSTR_FRAME_LOG, "{\"a\":3}");
	tbuf_put(&b, junk, sizeof(junk) - 1);

	for (size_t chunk = 1; chunk <= b.len; chunk = chunk * 2 + 1) {
		ktstr_frame_parser_init(&p);
		parse_all(&b, chunk, &g, &p);
		assert_int_equal(g.n, 3);
		assert_string_equal(g.payload[0], "{\"a\":1}");
		assert_string_equal(g.payload[1], "{\"a\":2}");
		assert_string_equal(g.payload[2], "{\"a\":3}");
		assert_int_equal(p.frames_ok, 3);
		assert_true(p.bytes_skipped >= 3 * (sizeof(junk) - 1));
		ktstr_frame_parser_free(&p);
		got_free(&g);
	}
	tbuf_free(&b);
}

/*
 * Flip every bit of frame A in "A B C": A is never returned, and B and C are
 * found *without* EOF (a corrupted length must not hide what follows).
 */
static void test_every_bit_flip(void **state)
{
	struct tbuf b = { 0 };
	size_t alen;
	unsigned flips = 0;

	(void)state;
	alen = tbuf_frame(&b, KTSTR_FRAME_WORKER, "{\"index\":0,\"tid\":42,\"work_units\":7}");
	tbuf_frame(&b, KTSTR_FRAME_PROGRESS, "{\"b\":true}");
	tbuf_frame(&b, KTSTR_FRAME_DONE, "{\"workers\":1}");

	for (size_t bit = 0; bit < alen * 8; bit++) {
		struct ktstr_frame_parser p;
		struct got g = { 0 };

		b.p[bit / 8] ^= (unsigned char)(1u << (bit % 8));
		ktstr_frame_parser_init(&p);
		assert_int_equal(ktstr_frame_parser_feed(&p, b.p, b.len), 0);
		drain(&p, &g);
		assert_int_equal(g.n, 2);
		assert_int_equal(g.type[0], KTSTR_FRAME_PROGRESS);
		assert_string_equal(g.payload[0], "{\"b\":true}");
		assert_int_equal(g.type[1], KTSTR_FRAME_DONE);
		assert_int_equal(p.frames_ok, 2);
		ktstr_frame_parser_eof(&p);
		drain(&p, &g);
		assert_int_equal(g.n, 2);
		assert_int_equal(p.len, 0);
		ktstr_frame_parser_free(&p);
		got_free(&g);
		b.p[bit / 8] ^= (unsigned char)(1u << (bit % 8));
		flips++;
	}
	assert_int_equal(flips, alen * 8);
	tbuf_free(&b);
}

/* Same, fed one byte at a time: B must come out as soon as it is complete. */
static void test_bit_flip_in_length_bytewise(void **state)
{
	struct tbuf b = { 0 };
	size_t alen, blen;

	(void)state;
	alen = tbuf_frame(&b, KTSTR_FRAME_LOG, "{\"msg\":\"x\"}");
	blen = tbuf_frame(&b, KTSTR_FRAME_DONE, "{\"workers\":0}");
	for (unsigned bit = 8 * 8; bit < 12 * 8; bit++) {   /* the length field */
		struct ktstr_frame_parser p;
		struct got g = { 0 };
		size_t i;

		b.p[bit / 8] ^= (unsigned char)(1u << (bit % 8));
		ktstr_frame_parser_init(&p);
		for (i = 0; i < b.len && g.n == 0; i++) {
			ktstr_frame_parser_feed(&p, b.p + i, 1);
			drain(&p, &g);
		}
		assert_int_equal(g.n, 1);
		assert_int_equal(i, alen + blen);   /* no later than its last byte */
		assert_int_equal(g.type[0], KTSTR_FRAME_DONE);
		ktstr_frame_parser_free(&p);
		got_free(&g);
		b.p[bit / 8] ^= (unsigned char)(1u << (bit % 8));
	}
	tbuf_free(&b);
}

static void test_truncation(void **state)
{
	struct tbuf whole = { 0 };
	size_t flen;

	(void)state;
	flen = tbuf_frame(&whole, KTSTR_FRAME_WORKER, "{\"index\":1,\"tid\":7}");
	for (size_t cut = 1; cut < flen; cut++) {
		struct ktstr_frame_parser p;
		struct got g = { 0 };
		struct ktstr_frame f;

		/* Alone: nothing comes out, and EOF leaves the buffer empty. */
		ktstr_frame_parser_init(&p);
		ktstr_frame_parser_feed(&p, whole.p, cut);
		assert_int_equal(ktstr_frame_parser_next(&p, &f), 0);
		ktstr_frame_parser_eof(&p);
		assert_int_equal(ktstr_frame_parser_next(&p, &f), 0);
		assert_int_equal(p.len, 0);
		assert_int_equal(p.frames_ok, 0);
		assert_int_equal(p.frames_bad, cut >= KTSTR_FRAME_HDR_SIZE ? 1 : 0);
		ktstr_frame_parser_free(&p);

		/* Followed by a complete frame: that one is found. */
		{
			struct tbuf b = { 0 };

			tbuf_put(&b, whole.p, cut);
			tbuf_frame(&b, KTSTR_FRAME_DONE, "{\"workers\":2}");
			ktstr_frame_parser_init(&p);
			parse_all(&b, 3, &g, &p);
			assert_int_equal(g.n, 1);
			assert_string_equal(g.payload[0], "{\"workers\":2}");
			ktstr_frame_parser_free(&p);
			got_free(&g);
			tbuf_free(&b);
		}
	}
	tbuf_free(&whole);
}

static void test_bad_headers(void **state)
{
	struct tbuf b = { 0 };
	struct got g = { 0 };
	struct ktstr_frame_parser p;

	(void)state;
	raw_frame(&b, KTSTR_FRAME_LOG, 1, 2, "{}", 2);               /* flags != 0 */
	raw_frame(&b, KTSTR_FRAME_LOG, 0x8000, 2, "{}", 2);
	raw_frame(&b, 0, 0, 2, "{}", 2);                             /* type 0 */
	raw_frame(&b, KTSTR_FRAME__MAX, 0, 2, "{}", 2);              /* unknown type */
	raw_frame(&b, KTSTR_FRAME_LOG, 0, KTSTR_FRAME_MAX_PAYLOAD + 1, "", 0); /* oversized */
	raw_frame(&b, KTSTR_FRAME_LOG, 0, 0xffffffffu, "", 0);
	raw_frame(&b, KTSTR_FRAME_LOG, 0, 3, "{\0}", 3);            /* NUL: not JSON */
	raw_frame(&b, KTSTR_FRAME_LOG, 0, 2, "{}", 2);               /* fine */
	ktstr_frame_parser_init(&p);
	/* All rejected at once, no waiting for a megabyte of payload. */
	ktstr_frame_parser_feed(&p, b.p, b.len);
	drain(&p, &g);
	assert_int_equal(g.n, 1);
	assert_int_equal(g.type[0], KTSTR_FRAME_LOG);
	assert_int_equal(p.frames_bad, 7);
	assert_int_equal(p.len, 0);
	ktstr_frame_parser_free(&p);
	got_free(&g);
	tbuf_free(&b);
}

/* A plausible header with a big length and nothing after it: EOF frees it. */
static void test_stalled_header_at_eof(void **state)
{
	struct tbuf b = { 0 };
	struct got g = { 0 };
	struct ktstr_frame_parser p;

	(void)state;
	tbuf_frame(&b, KTSTR_FRAME_HELLO, "{\"n\":1}");
	raw_frame(&b, KTSTR_FRAME_LOG, 0, 100000, "", 0);
	/* A frame cut short inside the stalled one's extent: not complete. */
	tbuf_put(&b, "KTS1\x08\0\0\0\x40\0\0\0", 12);
	ktstr_frame_parser_init(&p);
	ktstr_frame_parser_feed(&p, b.p, b.len);
	drain(&p, &g);
	assert_int_equal(g.n, 1);
	assert_true(p.len > 0);           /* waiting: the length may be honest */
	ktstr_frame_parser_eof(&p);
	drain(&p, &g);
	assert_int_equal(g.n, 1);
	assert_int_equal(p.len, 0);
	assert_int_equal(p.frames_bad, 1);   /* the 12-byte tail is only skipped */
	ktstr_frame_parser_free(&p);
	got_free(&g);
	tbuf_free(&b);
}

/* A genuine large frame arriving slowly is not mistaken for garbage. */
static void test_large_frame_slowly(void **state)
{
	struct tbuf b = { 0 };
	struct got g = { 0 };
	struct ktstr_frame_parser p;
	size_t n = 200000;
	char *json = malloc(n + 16);

	(void)state;
	assert_non_null(json);
	strcpy(json, "{\"msg\":\"");
	memset(json + 8, 'K', n);
	/* "KTS1" inside the payload: a candidate the look-ahead must reject. */
	memcpy(json + 100, "KTS1KTS1", 8);
	strcpy(json + 8 + n, "\"}");
	tbuf_frame(&b, KTSTR_FRAME_LOG, json);
	tbuf_frame(&b, KTSTR_FRAME_DONE, "{}");
	ktstr_frame_parser_init(&p);
	parse_all(&b, 997, &g, &p);
	assert_int_equal(g.n, 2);
	assert_string_equal(g.payload[0], json);
	assert_int_equal(p.frames_bad, 0);
	ktstr_frame_parser_free(&p);
	got_free(&g);
	tbuf_free(&b);
	free(json);
}

static void test_byte_at_a_time(void **state)
{
	struct tbuf b = { 0 };
	struct got g = { 0 };
	struct ktstr_frame_parser p;
	char json[64];

	(void)state;
	for (unsigned i = 0; i < 50; i++) {
		snprintf(json, sizeof(json), "{\"seq\":%u}", i);
		tbuf_frame(&b, 1 + i % (KTSTR_FRAME__MAX - 1), json);
		if (i % 3 == 0)
			tbuf_put(&b, "noise KT", 8);
	}
	ktstr_frame_parser_init(&p);
	parse_all(&b, 1, &g, &p);
	assert_int_equal(g.n, 50);
	for (unsigned i = 0; i < 50; i++) {
		snprintf(json, sizeof(json), "{\"seq\":%u}", i);
		assert_string_equal(g.payload[i], json);
	}
	ktstr_frame_parser_free(&p);
	got_free(&g);
	tbuf_free(&b);
}

static void test_feed_after_eof(void **state)
{
	struct tbuf b = { 0 };
	struct got g = { 0 };
	struct ktstr_frame_parser p;

	(void)state;
	tbuf_frame(&b, KTSTR_FRAME_DONE, "{}");
	ktstr_frame_parser_init(&p);
	ktstr_frame_parser_eof(&p);
	ktstr_frame_parser_feed(&p, b.p, b.len);
	drain(&p, &g);
	assert_int_equal(g.n, 1);
	ktstr_frame_parser_free(&p);
	got_free(&g);
	tbuf_free(&b);
}

/* ---- deterministic random stress --------------------------------------------- */

static uint64_t rng_next(uint64_t *s)
{
	*s ^= *s >> 12;
	*s ^= *s << 25;
	*s ^= *s >> 27;
	return *s * 0x2545F4914F6CDD1Dull;
}

static unsigned rng_below(uint64_t *s, unsigned n)
{
	return (unsigned)(rng_next(s) % n);
}

struct planted {
	size_t off, len;
	unsigned type;
	char *json;
	bool touched;
};

/* Garbage that looks like frames: magic, plausible headers, cut frames. */
static void random_garbage(uint64_t *s, struct tbuf *b)
{
	unsigned char tmp[600];
	unsigned kind = rng_below(s, 6), n;

	switch (kind) {
	case 0:         /* a stalled-looking header with any length */
		raw_frame(b, 1 + rng_below(s, KTSTR_FRAME__MAX - 1), 0,
			  rng_below(s, 2) ? rng_below(s, 4096) : rng_below(s, KTSTR_FRAME_MAX_PAYLOAD + 1),
			  "", 0);
		/* corrupt its CRC so it can never be valid */
		b->p[b->len - 4] ^= 0x5a;
		break;
	case 1:         /* the magic alone */
		tbuf_put(b, "KTS1", 4 - rng_below(s, 4));
		break;
	case 2: {       /* a frame cut short */
		char json[64];
		unsigned char fr[80];
		long w;

		snprintf(json, sizeof(json), "{\"cut\":%u}", rng_below(s, 1000));
		w = ktstr_frame_encode(KTSTR_FRAME_LOG, json, strlen(json), fr, sizeof(fr));
		assert_true(w > 0);
		tbuf_put(b, fr, 1 + rng_below(s, (unsigned)w - 1));
		break;
	}
	default:        /* random bytes */
		n = rng_below(s, sizeof(tmp));
		for (unsigned i = 0; i < n; i++)
			tmp[i] = (unsigned char)rng_next(s);
		tbuf_put(b, tmp, n);
	}
}

static char *random_json(uint64_t *s, unsigned seq)
{
	unsigned pad = rng_below(s, 8) == 0 ? rng_below(s, 20000) : rng_below(s, 300);
	char *j = malloc(pad + 64);
	int n;

	assert_non_null(j);
	n = snprintf(j, 64, "{\"seq\":%u,\"pad\":\"", seq);
	for (unsigned i = 0; i < pad; i++) {
		char c = (char)(0x20 + rng_below(s, 95));

		j[n + (int)i] = (c == '"' || c == '\\') ? 'K' : c;
	}
	strcpy(j + n + pad, "\"}");
	return j;
}

static void stress_one(uint64_t *s, unsigned iter)
{
	struct planted pl[32];
	unsigned npl = 0, nseg = 1 + rng_below(s, 12);
	struct tbuf b = { 0 };
	struct got g = { 0 };
	struct ktstr_frame_parser p;
	size_t want = 0, cut;

	for (unsigned k = 0; k < nseg; k++) {
		if (rng_below(s, 3)) {
			struct planted *x = &pl[npl];

			x->type = 1 + rng_below(s, KTSTR_FRAME__MAX - 1);
			x->json = random_json(s, iter * 100 + npl);
			x->off = b.len;
			x->len = tbuf_frame(&b, x->type, x->json);
			x->touched = false;
			npl++;
		} else {
			random_garbage(s, &b);
		}
	}
	/* Corrupt some bytes (xor with a non-zero mask: touched means changed). */
	if (b.len && rng_below(s, 2)) {
		unsigned nc = 1 + rng_below(s, 4);

		for (unsigned c = 0; c < nc; c++) {
			size_t at = rng_next(s) % b.len;

			b.p[at] ^= (unsigned char)(1 + rng_below(s, 255));
			for (unsigned k = 0; k < npl; k++)
				if (at >= pl[k].off && at < pl[k].off + pl[k].len)
					pl[k].touched = true;
		}
	}
	/* Sometimes the stream ends early. */
	cut = b.len;
	if (b.len && rng_below(s, 4) == 0) {
		cut = rng_next(s) % b.len;
		for (unsigned k = 0; k < npl; k++)
			if (pl[k].off + pl[k].len > cut)
				pl[k].touched = true;
		b.len = cut;
	}

	ktstr_frame_parser_init(&p);
	{
		size_t off = 0;

		while (off < b.len) {
			size_t n = 1 + rng_below(s, rng_below(s, 2) ? 16 : 5000);

			if (n > b.len - off)
				n = b.len - off;
			assert_int_equal(ktstr_frame_parser_feed(&p, b.p + off, n), 0);
			off += n;
			if (rng_below(s, 3))
				drain(&p, &g);
		}
	}
	ktstr_frame_parser_eof(&p);
	drain(&p, &g);
	assert_int_equal(p.len, 0);
	assert_int_equal(p.bytes_in, b.len);

	/* Exactly the untouched frames, in order. */
	for (unsigned k = 0; k < npl; k++) {
		if (pl[k].touched)
			continue;
		if (want >= g.n || strcmp(g.payload[want], pl[k].json) != 0 ||
		    g.type[want] != pl[k].type)
			fail_msg("iteration %u: planted frame %u (seq in %s) not recovered in order",
				 iter, k, pl[k].json);
		want++;
	}
	if (want != g.n)
		fail_msg("iteration %u: %zu frames recovered, %zu expected", iter, g.n, want);

	for (unsigned k = 0; k < npl; k++)
		free(pl[k].json);
	ktstr_frame_parser_free(&p);
	got_free(&g);
	tbuf_free(&b);
}

static void test_random_stress(void **state)
{
	static const uint64_t seeds[] = { 0x9e3779b97f4a7c15ull, 42, 0xdeadbeefcafef00dull,
					  20250101, 7 };
	unsigned iters = 0;

	(void)state;
	for (size_t si = 0; si < sizeof(seeds) / sizeof(seeds[0]); si++) {
		uint64_t s = seeds[si];

		for (unsigned i = 0; i < 5000; i++, iters++)
			stress_one(&s, iters);
	}
	assert_true(iters >= 20000);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_encode_layout),
		cmocka_unit_test(test_encode_errors),
		cmocka_unit_test(test_frame_type_names),
		cmocka_unit_test(test_round_trip_every_type),
		cmocka_unit_test(test_empty_payload),
		cmocka_unit_test(test_garbage_around_frames),
		cmocka_unit_test(test_every_bit_flip),
		cmocka_unit_test(test_bit_flip_in_length_bytewise),
		cmocka_unit_test(test_truncation),
		cmocka_unit_test(test_bad_headers),
		cmocka_unit_test(test_stalled_header_at_eof),
		cmocka_unit_test(test_large_frame_slowly),
		cmocka_unit_test(test_byte_at_a_time),
		cmocka_unit_test(test_feed_after_eof),
		cmocka_unit_test(test_random_stress),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
