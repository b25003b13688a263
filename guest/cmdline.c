// SPDX-License-Identifier: GPL-2.0-only
/* ktstr.* parameters from the kernel command line. */
#include <ctype.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cmdline.h"

static const char *const mode_names[] = {
	[AGENT_MODE_RUN] = "run",
	[AGENT_MODE_BOOT] = "boot",
};

static const char *const fault_names[] = {
	[AGENT_FAULT_NONE] = "none",
	[AGENT_FAULT_HANG_BEFORE_HELLO] = "hang_before_hello",
	[AGENT_FAULT_STALL_MID_SCENARIO] = "stall_mid_scenario",
};

#define ARRAY_SIZE(a) (sizeof(a) / sizeof((a)[0]))

const char *agent_mode_name(enum agent_mode m)
{
	return (unsigned)m < ARRAY_SIZE(mode_names) ? mode_names[m] : "?";
}

const char *agent_fault_name(enum agent_fault f)
{
	return (unsigned)f < ARRAY_SIZE(fault_names) ? fault_names[f] : "?";
}

void agent_params_default(struct agent_params *p)
{
	p->mode = AGENT_MODE_RUN;
	p->fault = AGENT_FAULT_NONE;
	p->progress_ms = AGENT_DEFAULT_PROGRESS_MS;
}

static int lookup(const char *const *names, size_t n, const char *val)
{
	for (size_t i = 0; i < n; i++)
		if (names[i] && !strcmp(names[i], val))
			return (int)i;
	return -1;
}

static int set_param(struct agent_params *p, const char *key, const char *val,
		     struct ktstr_err *err)
{
	int i;

	if (!strcmp(key, "ktstr.mode")) {
		i = lookup(mode_names, ARRAY_SIZE(mode_names), val);
		if (i < 0)
			return ktstr_err_set(err, -EINVAL,
					     "kernel command line: ktstr.mode='%s' is not one of run, boot",
					     val);
		p->mode = (enum agent_mode)i;
	} else if (!strcmp(key, "ktstr.fault")) {
		i = lookup(fault_names, ARRAY_SIZE(fault_names), val);
		if (i < 0)
			return ktstr_err_set(err, -EINVAL,
					     "kernel command line: ktstr.fault='%s' is not one of none, hang_before_hello, stall_mid_scenario",
					     val);
		p->fault = (enum agent_fault)i;
	} else if (!strcmp(key, "ktstr.progress_ms")) {
		char *end;
		unsigned long v;

		errno = 0;
		v = strtoul(val, &end, 10);
		if (errno || end == val || *end || !isdigit((unsigned char)val[0]) || v == 0 ||
		    v > AGENT_MAX_PROGRESS_MS)
			return ktstr_err_set(err, -EINVAL,
					     "kernel command line: ktstr.progress_ms='%s' is not a number of milliseconds in 1..%u",
					     val, AGENT_MAX_PROGRESS_MS);
		p->progress_ms = (unsigned)v;
	} else if (!strcmp(key, "ktstr.variant")) {
		bool ok = val[0] && strlen(val) < sizeof(p->variant);

		for (const char *c = val; ok && *c; c++)
			ok = isalnum((unsigned char)*c) || strchr("_.+-", *c);
		if (!ok)
			return ktstr_err_set(err, -EINVAL,
					     "kernel command line: ktstr.variant='%s' is not a variant name ([A-Za-z0-9_.+-], at most %d characters)",
					     val, KTSTR_VARIANT_NAME_MAX - 1);
		snprintf(p->variant, sizeof(p->variant), "%s", val);
	}
	return 0;
}

/*
 * Split like the kernel does: whitespace separates words, double quotes
 * group (param="a b").  Quotes are removed from the value.
 */
int agent_cmdline_parse(const char *cmdline, struct agent_params *p, struct ktstr_err *err)
{
	const char *s = cmdline;

	for (;;) {
		char word[512];
		size_t n = 0;
		bool quoted = false;
		char *eq;
		int ret;

		while (isspace((unsigned char)*s))
			s++;
		if (!*s)
			return 0;
		while (*s && (quoted || !isspace((unsigned char)*s))) {
			if (*s == '"')
				quoted = !quoted;
			else if (n < sizeof(word) - 1)
				word[n++] = *s;
			s++;
		}
		word[n] = '\0';
		if (strncmp(word, "ktstr.", 6))
			continue;
		eq = strchr(word, '=');
		if (!eq) {
			/* A bare ktstr.key: treat as key with an empty value. */
			ret = set_param(p, word, "", err);
		} else {
			*eq = '\0';
			ret = set_param(p, word, eq + 1, err);
		}
		if (ret)
			return ret;
	}
}
