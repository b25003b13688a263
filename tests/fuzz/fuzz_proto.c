// SPDX-License-Identifier: GPL-2.0-only
/*
 * libFuzzer target: the host's whole untrusted-input path, from raw port
 * bytes through the frame parser into result decoding.
 *
 * Input layout: byte 0 picks the feed chunk size (1..256), the rest is the
 * byte stream.  Besides "no crash, no sanitizer report" it checks the
 * parser's invariants: every frame handed out has a NUL-terminated payload
 * of the declared length and a known type, the buffer is empty after EOF,
 * and every byte is accounted for.
 *
 * Build and run (clang only):
 *   CC=clang cmake -S . -B build-fuzz -G Ninja -DKTSTR_FUZZ=ON
 *   ninja -C build-fuzz fuzz_proto
 *   build-fuzz/tests/fuzz_proto -max_total_time=60 -max_len=65536
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "ktstr/proto.h"
#include "ktstr/results.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static void check_frame(const struct ktstr_frame *f)
{
	if (f->type == 0 || f->type >= KTSTR_FRAME__MAX || f->len > KTSTR_FRAME_MAX_PAYLOAD ||
	    f->payload[f->len] != '\0' || memchr(f->payload, '\0', f->len))
		abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static struct ktstr_run_result r;    /* large; not on the fuzzer's stack */
	struct ktstr_frame_parser p;
	struct ktstr_frame f;
	uint64_t frames = 0, payload_bytes = 0;
	size_t chunk, off;

	if (size < 1)
		return 0;
	chunk = (size_t)data[0] + 1;
	data++;
	size--;

	ktstr_results_init(&r);
	ktstr_frame_parser_init(&p);
	for (off = 0; off < size; off += chunk) {
		size_t n = size - off < chunk ? size - off : chunk;

		if (ktstr_frame_parser_feed(&p, data + off, n))
			abort();
		while (ktstr_frame_parser_next(&p, &f) == 1) {
			check_frame(&f);
			frames++;
			payload_bytes += f.len;
			ktstr_results_apply_frame(&r, &f, 0.0);
		}
	}
	ktstr_frame_parser_eof(&p);
	while (ktstr_frame_parser_next(&p, &f) == 1) {
		check_frame(&f);
		frames++;
		payload_bytes += f.len;
		ktstr_results_apply_frame(&r, &f, 0.0);
	}
	if (p.len != 0 || p.frames_ok != frames || p.bytes_in != size ||
	    p.bytes_skipped + payload_bytes + KTSTR_FRAME_HDR_SIZE * frames != size)
		abort();
	if (r.n_workers > KTSTR_MAX_WORKERS || r.n_timeline > KTSTR_MAX_TIMELINE)
		abort();
	ktstr_frame_parser_free(&p);
	return 0;
}
