// SPDX-License-Identifier: GPL-2.0-only
/*
 * Frame encoder (guest) and resynchronising parser (host).
 *
 * The CRC covers header and payload, so it cannot be checked before the
 * whole frame is here; the parser bounds the length by
 * KTSTR_FRAME_MAX_PAYLOAD, waits for the frame, and only then checks the CRC.
 * On any rejection it drops exactly one byte and rescans for the magic, so a
 * corrupted frame can hide at most itself.  A corrupted *length* could still
 * make the parser wait for bytes that never come, hiding every later frame;
 * two rules prevent that (see proto.h): a complete valid frame found inside
 * an incomplete head's extent condemns the head, and at EOF an incomplete
 * head is dropped.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <zlib.h>

#include "ktstr/proto.h"

static const char *const frame_names[KTSTR_FRAME__MAX] = {
	[KTSTR_FRAME_HELLO]    = "hello",
	[KTSTR_FRAME_TOPOLOGY] = "topology",
	[KTSTR_FRAME_STAGE]    = "stage",
	[KTSTR_FRAME_PROGRESS] = "progress",
	[KTSTR_FRAME_WORKER]   = "worker",
	[KTSTR_FRAME_LOG]      = "log",
	[KTSTR_FRAME_ERROR]    = "error",
	[KTSTR_FRAME_DONE]     = "done",
	[KTSTR_FRAME_SCHED]    = "sched",
	[KTSTR_FRAME_VERDICT_REQUEST] = "verdict_request",
	[KTSTR_FRAME_VERDICT]  = "verdict",
	[KTSTR_FRAME_PAYLOAD]  = "payload",
};

const char *ktstr_frame_type_name(unsigned type)
{
	if (type < KTSTR_FRAME__MAX && frame_names[type])
		return frame_names[type];
	return "unknown";
}

static void put_le32(unsigned char *p, uint32_t v)
{
	p[0] = v & 0xff;
	p[1] = (v >> 8) & 0xff;
	p[2] = (v >> 16) & 0xff;
	p[3] = (v >> 24) & 0xff;
}

static void put_le16(unsigned char *p, uint16_t v)
{
	p[0] = v & 0xff;
	p[1] = (v >> 8) & 0xff;
}

static uint32_t get_le32(const unsigned char *p)
{
	return (uint32_t)p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 |
	       (uint32_t)p[3] << 24;
}

static uint16_t get_le16(const unsigned char *p)
{
	return (uint16_t)(p[0] | p[1] << 8);
}

static uint32_t frame_crc(const unsigned char *hdr, const unsigned char *payload,
			  size_t len)
{
	uLong crc = crc32(0L, Z_NULL, 0);

	crc = crc32(crc, hdr, 12);
	/* zlib takes uInt lengths; payloads are bounded well below 4 GiB. */
	if (len)
		crc = crc32(crc, payload, (uInt)len);
	return (uint32_t)crc;
}

long ktstr_frame_encode(unsigned type, const void *payload, size_t len,
			void *buf, size_t size)
{
	unsigned char *b = buf;

	if (type == 0 || type >= KTSTR_FRAME__MAX || (len && !payload) || !buf)
		return -EINVAL;
	if (len > KTSTR_FRAME_MAX_PAYLOAD)
		return -EMSGSIZE;
	/* JSON text has no NUL; the parser's look-ahead relies on that. */
	if (len && memchr(payload, '\0', len))
		return -EINVAL;
	if (size < KTSTR_FRAME_HDR_SIZE + len)
		return -EMSGSIZE;

	put_le32(b, KTSTR_FRAME_MAGIC);
	put_le16(b + 4, (uint16_t)type);
	put_le16(b + 6, 0);
	put_le32(b + 8, (uint32_t)len);
	if (len)
		memcpy(b + KTSTR_FRAME_HDR_SIZE, payload, len);
	put_le32(b + 12, frame_crc(b, b + KTSTR_FRAME_HDR_SIZE, len));
	return (long)(KTSTR_FRAME_HDR_SIZE + len);
}

static void lookahead_reset(struct ktstr_frame_parser *p)
{
	p->la_scanned = 1;          /* offset 0 is the head itself */
	p->la_wait_end = SIZE_MAX;
}

void ktstr_frame_parser_init(struct ktstr_frame_parser *p)
{
	memset(p, 0, sizeof(*p));
	lookahead_reset(p);
}

void ktstr_frame_parser_free(struct ktstr_frame_parser *p)
{
	free(p->buf);
	free(p->payload);
	memset(p, 0, sizeof(*p));
	lookahead_reset(p);
}

void ktstr_frame_parser_eof(struct ktstr_frame_parser *p)
{
	p->eof = true;
}

int ktstr_frame_parser_feed(struct ktstr_frame_parser *p, const void *data, size_t len)
{
	if (!len)
		return 0;
	if (len > SIZE_MAX / 4 - p->len)
		return -EOVERFLOW;
	if (p->len + len > p->cap) {
		size_t cap = p->cap ? p->cap : 4096;
		unsigned char *nb;

		while (cap < p->len + len)
			cap *= 2;
		nb = realloc(p->buf, cap);
		if (!nb)
			return -ENOMEM;
		p->buf = nb;
		p->cap = cap;
	}
	memcpy(p->buf + p->len, data, len);
	p->len += len;
	p->bytes_in += len;
	return 0;
}

static void consume(struct ktstr_frame_parser *p, size_t n)
{
	memmove(p->buf, p->buf + n, p->len - n);
	p->len -= n;
	lookahead_reset(p);
}

/* Drop one byte of a rejected candidate; counted as a bad frame. */
static void reject_head(struct ktstr_frame_parser *p)
{
	p->frames_bad++;
	p->bytes_skipped++;
	consume(p, 1);
}

static const unsigned char frame_magic[4] = { 'K', 'T', 'S', '1' };

/* Index of the first possible magic start at or after `from`, or p->len. */
static size_t find_magic(const struct ktstr_frame_parser *p, size_t from)
{
	size_t i;

	for (i = from; i < p->len; i++) {
		size_t k, avail = p->len - i < 4 ? p->len - i : 4;

		if (p->buf[i] != frame_magic[0])
			continue;
		for (k = 1; k < avail; k++)
			if (p->buf[i + k] != frame_magic[k])
				break;
		if (k == avail)
			return i;   /* full match, or a prefix at the tail */
	}
	return p->len;
}

/*
 * Header sanity at h (16 bytes available).  Returns the payload length, or
 * -1 when the header cannot start a frame.
 */
static long header_len(const unsigned char *h)
{
	unsigned type = get_le16(h + 4), flags = get_le16(h + 6);
	uint32_t len = get_le32(h + 8);

	if (get_le32(h) != KTSTR_FRAME_MAGIC || type == 0 || type >= KTSTR_FRAME__MAX ||
	    flags != 0 || len > KTSTR_FRAME_MAX_PAYLOAD)
		return -1;
	return (long)len;
}

static bool crc_ok(const unsigned char *h, size_t len)
{
	return get_le32(h + 12) == frame_crc(h, h + KTSTR_FRAME_HDR_SIZE, len);
}

/*
 * The head (offset 0) is a plausible but incomplete frame.  Is there a
 * complete, valid frame later in the buffer?  Work is amortised: positions
 * before la_scanned were already examined, and they are looked at again only
 * once the buffer reaches the end of an incomplete candidate among them.
 */
static bool lookahead_finds_frame(struct ktstr_frame_parser *p)
{
	size_t i;

	if (p->len >= p->la_wait_end)
		lookahead_reset(p);
	for (i = p->la_scanned; i + KTSTR_FRAME_HDR_SIZE <= p->len; i++) {
		const unsigned char *h = p->buf + i;
		long plen;
		size_t end;

		if (h[0] != frame_magic[0] || memcmp(h, frame_magic, 4) != 0)
			continue;
		plen = header_len(h);
		if (plen < 0)
			continue;
		end = i + KTSTR_FRAME_HDR_SIZE + (size_t)plen;
		if (end > p->len) {
			if (end < p->la_wait_end)
				p->la_wait_end = end;
			continue;
		}
		if (crc_ok(h, (size_t)plen))
			return true;
	}
	p->la_scanned = i;
	return false;
}

int ktstr_frame_parser_next(struct ktstr_frame_parser *p, struct ktstr_frame *f)
{
	for (;;) {
		size_t start = find_magic(p, 0);
		unsigned char *h;
		long plen;
		uint32_t len;

		if (start) {
			p->bytes_skipped += start;
			consume(p, start);
		}
		if (p->len < KTSTR_FRAME_HDR_SIZE) {
			if (!p->eof || !p->len)
				return 0;
			/* A magic prefix at the tail that can never complete. */
			p->bytes_skipped += p->len;
			consume(p, p->len);
			return 0;
		}

		h = p->buf;
		plen = header_len(h);
		if (plen < 0) {
			reject_head(p);
			continue;
		}
		len = (uint32_t)plen;
		if (p->len < KTSTR_FRAME_HDR_SIZE + (size_t)len) {
			if (p->eof || lookahead_finds_frame(p)) {
				reject_head(p);
				continue;
			}
			return 0;
		}
		/*
		 * A payload with a NUL was never made by ktstr_frame_encode(): it is
		 * not JSON text, and accepting it would break the look-ahead's
		 * premise that no genuine frame contains another.
		 */
		if (!crc_ok(h, len) || memchr(h + KTSTR_FRAME_HDR_SIZE, '\0', len)) {
			reject_head(p);
			continue;
		}

		free(p->payload);
		p->payload = malloc((size_t)len + 1);
		if (!p->payload)
			return -ENOMEM;
		memcpy(p->payload, h + KTSTR_FRAME_HDR_SIZE, len);
		p->payload[len] = '\0';
		f->type = get_le16(h + 4);
		f->len = len;
		f->payload = p->payload;
		consume(p, KTSTR_FRAME_HDR_SIZE + (size_t)len);
		p->frames_ok++;
		return 1;
	}
}
