// SPDX-License-Identifier: GPL-2.0-only
#include <errno.h>
#include <fcntl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli_util.h"

int ktstr_accel_parse(const char *s, enum ktstr_accel *out)
{
	if (!strcmp(s, "auto"))
		*out = KTSTR_ACCEL_AUTO;
	else if (!strcmp(s, "kvm"))
		*out = KTSTR_ACCEL_KVM;
	else if (!strcmp(s, "tcg"))
		*out = KTSTR_ACCEL_TCG;
	else
		return -EINVAL;
	return 0;
}

bool ktstr_accel_is_tcg(enum ktstr_accel a)
{
	int fd;

	if (a != KTSTR_ACCEL_AUTO)
		return a == KTSTR_ACCEL_TCG;
	fd = open("/dev/kvm", O_RDWR | O_CLOEXEC);
	if (fd < 0)
		return true;
	close(fd);
	return false;
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
