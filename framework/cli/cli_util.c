// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <getopt.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_util.h"
#include "ktstr/error.h"

bool ktstr_accel_is_tcg(enum ktstr_accel a)
{
	/*
	 * `auto` budgets for TCG even where /dev/kvm opens: a KVM that cannot
	 * run the guest (nested or partial KVM) makes the run fall back to TCG
	 * at run time, and a generous harness timeout costs nothing because
	 * the executable's own watchdogs fire first.
	 */
	return a != KTSTR_ACCEL_KVM;
}

int ktstr_parse_seconds(const char *s, double *out)
{
	char *end;
	double v;

	if (!s || !*s)
		return -EINVAL;
	errno = 0;
	v = strtod(s, &end);
	if (errno || *end || !isfinite(v) || v < 0)
		return -EINVAL;
	*out = v;
	return 0;
}

int ktstr_parse_uint(const char *s, unsigned min, unsigned max, unsigned *out)
{
	unsigned long v;
	char *end;

	if (!s || *s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end)
		return -EINVAL;
	if (v < min || v > max)
		return -ERANGE;
	*out = (unsigned)v;
	return 0;
}

int ktstr_cli_bad_option(char **argv, struct ktstr_err *err)
{
	/* getopt_long leaves the offending word at argv[optind - 1]. */
	if (optopt >= 256)
		return ktstr_err_set(err, -EINVAL, "option '%s' needs a value", argv[optind - 1]);
	if (optopt)
		return ktstr_err_set(err, -EINVAL, "unknown option '-%c'", optopt);
	return ktstr_err_set(err, -EINVAL, "unknown option '%s'", argv[optind - 1]);
}
