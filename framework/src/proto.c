// SPDX-License-Identifier: GPL-2.0-only
/*
 * Frame encoder (guest) and resynchronising parser (host).
 *
 * The parser never trusts a length before the header CRC... which it cannot
 * check before the payload arrives, so instead it bounds the length by
 * KTSTR_FRAME_MAX_PAYLOAD, waits for the whole frame, and only then checks
 * the CRC.  On any rejection it drops exactly one byte and rescans for the
 * magic, so a corrupted frame can hide at most itself, never what follows.
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

	if (type == 0 || type >= KTSTR_FRAME__MAX || (len && !payload))
		return -EINVAL;
	if (len > KTSTR_FRAME_MAX_PAYLOAD)
		return -EMSGSIZE;
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

void ktstr_frame_parser_init(struct ktstr_frame_parser *p)
{
	memset(p, 0, sizeof(*p));
}

void ktstr_frame_parser_free(struct ktstr_frame_parser *p)
{
	free(p->buf);
	free(p->payload);
	memset(p, 0, sizeof(*p));
}

int ktstr_frame_parser_feed(struct ktstr_frame_parser *p, const void *data, size_t len)
{
	if (!len)
		return 0;
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
}

/* Index of the first possible magic start at or after `from`, or p->len. */
static size_t find_magic(const struct ktstr_frame_parser *p, size_t from)
{
	static const unsigned char m[4] = { 'K', 'T', 'S', '1' };
	size_t i;

	for (i = from; i < p->len; i++) {
		size_t k, avail = p->len - i < 4 ? p->len - i : 4;

		for (k = 0; k < avail; k++)
			if (p->buf[i + k] != m[k])
				break;
		if (k == avail)
			return i;   /* full match, or a prefix at the tail */
	}
	return p->len;
}

int ktstr_frame_parser_next(struct ktstr_frame_parser *p, struct ktstr_frame *f)
{
	for (;;) {
		size_t start = find_magic(p, 0);
		uint32_t len, crc;
		unsigned type, flags;
		unsigned char *h;

		if (start) {
			p->bytes_skipped += start;
			consume(p, start);
		}
		if (p->len < KTSTR_FRAME_HDR_SIZE)
			return 0;

		h = p->buf;
		type = get_le16(h + 4);
		flags = get_le16(h + 6);
		len = get_le32(h + 8);
		if (type == 0 || type >= KTSTR_FRAME__MAX || flags != 0 ||
		    len > KTSTR_FRAME_MAX_PAYLOAD) {
			p->frames_bad++;
			p->bytes_skipped++;
			consume(p, 1);
			continue;
		}
		if (p->len < KTSTR_FRAME_HDR_SIZE + (size_t)len)
			return 0;
		crc = get_le32(h + 12);
		if (crc != frame_crc(h, h + KTSTR_FRAME_HDR_SIZE, len)) {
			p->frames_bad++;
			p->bytes_skipped++;
			consume(p, 1);
			continue;
		}

		free(p->payload);
		p->payload = malloc((size_t)len + 1);
		if (!p->payload)
			return -ENOMEM;
		memcpy(p->payload, h + KTSTR_FRAME_HDR_SIZE, len);
		p->payload[len] = '\0';
		consume(p, KTSTR_FRAME_HDR_SIZE + (size_t)len);
		p->frames_ok++;

		f->type = type;
		f->len = len;
		f->payload = p->payload;
		return 1;
	}
}
