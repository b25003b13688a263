/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The guest -> host result protocol (and its one host -> guest answer,
 * KTSTR_FRAME_VERDICT).
 *
 * The agent writes frames to the virtio-serial port named KTSTR_PORT_RESULTS.
 * The kernel console travels on ttyS0, so console noise can never corrupt a
 * result; still, everything the guest sends is untrusted, and the host parser
 * resynchronises on the magic after any garbage, truncation or bad CRC.
 *
 * Frame (all integers little endian):
 *
 *   off  size  field
 *   0    4     magic   KTSTR_FRAME_MAGIC ("KTS1")
 *   4    2     type    enum ktstr_frame_type
 *   6    2     flags   0 for now; non-zero is rejected
 *   8    4     length  payload bytes, <= KTSTR_FRAME_MAX_PAYLOAD
 *   12   4     crc     zlib crc32 over bytes 0..11 and the payload
 *   16   ...   payload UTF-8 JSON object (one per frame)
 */
#ifndef KTSTR_PROTO_H
#define KTSTR_PROTO_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#define KTSTR_PORT_RESULTS      "ktstr.results"
#define KTSTR_PORT_SCHEDLOG     "ktstr.schedlog"

#define KTSTR_FRAME_MAGIC       0x3153544bu   /* "KTS1" read as LE u32 */
#define KTSTR_FRAME_HDR_SIZE    16
#define KTSTR_FRAME_MAX_PAYLOAD (1u << 20)

enum ktstr_frame_type {
	KTSTR_FRAME_HELLO     = 1, /* agent is up: {"agent":ver,"kernel":uname -r,"uptime_ms":n,"mode":"run"} */
	KTSTR_FRAME_TOPOLOGY  = 2, /* what the guest sees (see docs/protocol.md) */
	KTSTR_FRAME_STAGE     = 3, /* {"stage":"scenario_start"|"step"|"scenario_end",...} */
	KTSTR_FRAME_PROGRESS  = 4, /* {"t_ms":..,"work_units":..}: feeds the progress watchdog */
	KTSTR_FRAME_WORKER    = 5, /* one worker's telemetry */
	KTSTR_FRAME_LOG       = 6, /* {"level":"info"|"warn"|"error","msg":..} */
	KTSTR_FRAME_ERROR     = 7, /* the agent could not run the scenario: {"msg":..} */
	KTSTR_FRAME_DONE      = 8, /* all results sent: {"workers":N,"t_ms":..} */
	KTSTR_FRAME_SCHED     = 9, /* sched_ext scheduler lifecycle: {"event":..,"t_ms":..,..} */
	/*
	 * The one host -> guest exchange (docs/protocol.md): with its sched_ext
	 * scheduler still attached after the WORKER frames, the agent asks for
	 * the checks' verdict and waits at most wait_ms for the answer on the
	 * same port before it stops the scheduler.
	 */
	KTSTR_FRAME_VERDICT_REQUEST = 10, /* guest: {"t_ms":..,"workers":N,"wait_ms":..} */
	KTSTR_FRAME_VERDICT   = 11, /* host: {"dump":bool,"failed":["max_gap",..]} */
	KTSTR_FRAME_PAYLOAD   = 12, /* a payload started or ended: {"name":..,"event":..,..} */
	KTSTR_FRAME__MAX,
};

const char *ktstr_frame_type_name(unsigned type);

/*
 * Encode one frame into buf (size >= KTSTR_FRAME_HDR_SIZE + len).
 * Returns the number of bytes written, or -EINVAL (bad type, NULL payload,
 * or a payload containing a NUL byte: payloads are JSON text) / -EMSGSIZE.
 */
long ktstr_frame_encode(unsigned type, const void *payload, size_t len,
			void *buf, size_t size);

struct ktstr_frame {
	unsigned type;
	uint32_t len;
	char *payload;             /* NUL-terminated copy, owned by the parser */
};

/*
 * Incremental parser.  Feed any bytes; take complete, CRC-valid frames out
 * with ktstr_frame_parser_next().  Garbage is skipped and counted.
 *
 * Resynchronisation rules (why: the guest is untrusted and a flipped bit in a
 * length field must not swallow the rest of the run):
 *  - any rejected candidate (bad type, flags, length or CRC, or a payload
 *    containing a NUL byte, which is not JSON text) costs exactly one byte,
 *    then the parser rescans for the magic;
 *  - while the frame at the head is still incomplete, the bytes already
 *    buffered inside its declared extent are searched for a complete,
 *    CRC-valid frame; if one is found the head is judged corrupt and dropped
 *    (one byte).  A genuine frame can never contain another one because
 *    payloads are JSON text, which has no NUL bytes, and every header does
 *    (ktstr_frame_encode() refuses payloads containing NUL);
 *  - after ktstr_frame_parser_eof() nothing more can arrive, so an incomplete
 *    head is dropped byte by byte as well, and next() drains the buffer to
 *    empty before it returns 0.
 */
struct ktstr_frame_parser {
	unsigned char *buf;
	size_t len;
	size_t cap;
	char *payload;             /* last frame handed out */
	uint64_t bytes_in;
	uint64_t bytes_skipped;    /* garbage between frames */
	uint64_t frames_ok;
	uint64_t frames_bad;       /* header or CRC rejected, or a full header whose
				    * payload was cut off by EOF */
	bool eof;                  /* ktstr_frame_parser_eof() was called */
	/* look-ahead state while the head frame is incomplete (offsets in buf) */
	size_t la_scanned;         /* candidates before this offset were examined */
	size_t la_wait_end;        /* smallest end of a later incomplete candidate */
};

void ktstr_frame_parser_init(struct ktstr_frame_parser *p);
void ktstr_frame_parser_free(struct ktstr_frame_parser *p);
/* Returns 0, or -ENOMEM (-EOVERFLOW for an absurd length). */
int ktstr_frame_parser_feed(struct ktstr_frame_parser *p, const void *data, size_t len);
/*
 * Returns 1 and fills *f when a frame is available (valid until the next
 * call), 0 when more bytes are needed (after EOF: when the buffer is empty),
 * or -ENOMEM.
 */
int ktstr_frame_parser_next(struct ktstr_frame_parser *p, struct ktstr_frame *f);
/*
 * The byte stream has ended (the port closed, QEMU exited).  Frames still
 * complete in the buffer are returned by next() as usual; whatever cannot
 * become a frame any more is skipped and counted.  Feeding after EOF is
 * allowed; those bytes are parsed under the same end-of-stream rules.
 */
void ktstr_frame_parser_eof(struct ktstr_frame_parser *p);

#endif /* KTSTR_PROTO_H */
