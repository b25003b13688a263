/* SPDX-License-Identifier: GPL-2.0-only */
/* Monotonic time helpers shared by the parent and the workers. */
#ifndef AGENT_CLOCK_H
#define AGENT_CLOCK_H

#include <errno.h>
#include <stdint.h>
#include <time.h>

static inline uint64_t agent_ts_ns(const struct timespec *ts)
{
	return (uint64_t)ts->tv_sec * 1000000000ull + (uint64_t)ts->tv_nsec;
}

static inline uint64_t agent_clock_ns(clockid_t id)
{
	struct timespec ts;

	clock_gettime(id, &ts);
	return agent_ts_ns(&ts);
}

static inline uint64_t agent_mono_ns(void)
{
	return agent_clock_ns(CLOCK_MONOTONIC);
}

/* Sleep until the monotonic clock reads `ns`; signals do not cut it short. */
static inline void agent_sleep_until_ns(uint64_t ns)
{
	struct timespec ts = { .tv_sec = (time_t)(ns / 1000000000ull),
			       .tv_nsec = (long)(ns % 1000000000ull) };

	while (clock_nanosleep(CLOCK_MONOTONIC, TIMER_ABSTIME, &ts, NULL) == EINTR)
		;
}

static inline void agent_sleep_ms(unsigned ms)
{
	agent_sleep_until_ns(agent_mono_ns() + (uint64_t)ms * 1000000ull);
}

#endif /* AGENT_CLOCK_H */
