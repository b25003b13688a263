// SPDX-License-Identifier: GPL-2.0-only
/*
 * Loading /ktstr/scenario.yaml with the model's own loader (the same code
 * that validated it on the host), reporting the first error only: the host
 * already showed the full list at build time, so a guest-side failure means
 * something changed in between and one line names it.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "ktstr/diag.h"
#include "ktstr/scenario_load.h"
#include "ktstr/variants.h"

#include "agent.h"

#define AGENT_SCENARIO_MAX (1u << 20)

static int read_all(const char *path, char **out, size_t *len)
{
	FILE *f = fopen(path, "re");
	char *buf;
	size_t n;

	if (!f)
		return -errno;
	buf = malloc(AGENT_SCENARIO_MAX + 1);
	if (!buf) {
		fclose(f);
		return -ENOMEM;
	}
	n = fread(buf, 1, AGENT_SCENARIO_MAX + 1, f);
	if (ferror(f) || n > AGENT_SCENARIO_MAX) {
		int ret = ferror(f) ? -EIO : -EFBIG;

		fclose(f);
		free(buf);
		return ret;
	}
	fclose(f);
	buf[n] = '\0';
	*out = buf;
	*len = n;
	return 0;
}

/* The first error as ktstr_diags_print() would show it, without the newline. */
static void first_error(const struct ktstr_diags *d, char *buf, size_t len)
{
	struct ktstr_diags one = *d;
	size_t i;
	FILE *f;

	for (i = 0; i < d->n && d->v[i].level != KTSTR_DIAG_ERROR; i++)
		;
	buf[0] = '\0';
	if (i == d->n)
		return;
	one.v = &d->v[i];
	one.n = 1;
	one.n_errors = 1;
	f = fmemopen(buf, len, "w");
	if (!f)
		return;
	ktstr_diags_print(f, &one);
	fclose(f);
	buf[len - 1] = '\0';
	buf[strcspn(buf, "\n")] = '\0';
}

int agent_scenario_load(struct agent *a, const char *path, struct ktstr_err *err)
{
	struct ktstr_diags d;
	char msg[1024];
	char *text = NULL;
	size_t len = 0;
	int ret;

	ret = read_all(path, &text, &len);
	if (ret)
		return ktstr_err_set(err, ret, "%s: cannot read %s: %s", AGENT_SCENARIO_DISPLAY, path,
				     strerror(-ret));
	ktstr_diags_init(&d, AGENT_SCENARIO_DISPLAY);
	ret = ktstr_scenario_load_buf(text, len, AGENT_SCENARIO_DISPLAY, &a->scenario, &d);
	free(text);
	if (ret || d.n_errors) {
		first_error(&d, msg, sizeof(msg));
		if (!msg[0])
			snprintf(msg, sizeof(msg), "%s: could not be loaded: %s",
				 AGENT_SCENARIO_DISPLAY, strerror(ret ? -ret : EINVAL));
		ktstr_diags_free(&d);
		return ktstr_err_set(err, ret ? ret : -EINVAL, "%s", msg);
	}
	ktstr_diags_free(&d);
	return 0;
}

int agent_scenario_variant(struct agent *a, struct ktstr_err *err)
{
	const char *want = a->params.variant;
	unsigned n = ktstr_scenario_variant_count(&a->scenario);
	struct ktstr_variant v;
	char list[512];
	int ret;

	if (!n) {
		if (!want[0])
			return 0;
		return ktstr_err_set(err, -EINVAL,
				     "ktstr.variant='%s': scenario '%s' has no variants (no matrix, no "
				     "scheduler flags); the host and the guest disagree about the "
				     "scenario", want, a->scenario.name);
	}
	ret = want[0] ? ktstr_scenario_variant_find(&a->scenario, want, &v)
		      : ktstr_scenario_variant_get(&a->scenario, 0, &v);
	if (ret) {
		ktstr_scenario_variant_list(&a->scenario, list, sizeof(list));
		return ktstr_err_set(err, ret, "ktstr.variant='%s' is not a variant of scenario "
				     "'%s'; its variants: %s", want, a->scenario.name, list);
	}
	ret = ktstr_scenario_variant_apply(&a->scenario, &v);
	if (ret)
		return ktstr_err_set(err, ret, "cannot apply variant '%s': %s", v.name,
				     strerror(-ret));
	return 0;
}
