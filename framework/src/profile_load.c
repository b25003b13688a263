// SPDX-License-Identifier: GPL-2.0-only
/*
 * A small, strict loader for timeout profile files (ci/profiles/NAME.yaml).
 * Strict because a typo in a profile must not silently fall back to a
 * default budget: every key of struct ktstr_profile is required, each once,
 * and nothing else is allowed.  Errors carry file:line:col (ktstr/diag.h).
 */
#include <errno.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <yaml.h>

#include "profile_load.h"
#include "suggest.h"
#include "yaml_diag.h"

const char *const ktstr_profile_keys[KTSTR_PROFILE_N_KEYS] = {
	"factor", "tcg_factor", "boot_base_s", "boot_per_vcpu_s",
	"teardown_s", "settle_s", "progress_timeout_s", "dump_margin_s",
};

/* Per key: where it lives, and its valid range (lo exclusive when lo_open). */
static const struct {
	size_t off;
	double lo, hi;
	int lo_open;
	const char *range;
} key_info[KTSTR_PROFILE_N_KEYS] = {
	{ offsetof(struct ktstr_profile, factor), 0, 100, 1, "a number > 0 and <= 100" },
	{ offsetof(struct ktstr_profile, tcg_factor), 0, 100, 1, "a number > 0 and <= 100" },
	{ offsetof(struct ktstr_profile, boot_base_s), 0, 3600, 1, "seconds, > 0 and <= 3600" },
	{ offsetof(struct ktstr_profile, boot_per_vcpu_s), 0, 600, 0, "seconds, 0 to 600" },
	{ offsetof(struct ktstr_profile, teardown_s), 0, 3600, 0, "seconds, 0 to 3600" },
	{ offsetof(struct ktstr_profile, settle_s), 0, 3600, 0, "seconds, 0 to 3600" },
	{ offsetof(struct ktstr_profile, progress_timeout_s), 0, 3600, 1,
	  "seconds, > 0 and <= 3600" },
	{ offsetof(struct ktstr_profile, dump_margin_s), 0, 600, 0, "seconds, 0 to 600" },
};

static struct ktstr_src_loc loc_of(const yaml_node_t *n)
{
	return (struct ktstr_src_loc){ .line = (unsigned)n->start_mark.line + 1,
				       .col = (unsigned)n->start_mark.column + 1 };
}

static const char *node_kind(const yaml_node_t *n)
{
	switch (n->type) {
	case YAML_MAPPING_NODE: return "a mapping";
	case YAML_SEQUENCE_NODE: return "a list";
	default: return "a scalar";
	}
}

static int key_index(const char *k)
{
	for (int i = 0; i < KTSTR_PROFILE_N_KEYS; i++)
		if (!strcmp(k, ktstr_profile_keys[i]))
			return i;
	return -1;
}

/* A plain decimal number: "2", "1.5", "0.25", "1e1"; no quotes, no units, finite. */
static int parse_number(const yaml_node_t *v, double *out)
{
	const char *s = (const char *)v->data.scalar.value;
	char *end;

	if (v->data.scalar.style != YAML_PLAIN_SCALAR_STYLE || !*s)
		return -EINVAL;
	if (!((*s >= '0' && *s <= '9') || *s == '.' || *s == '-' || *s == '+'))
		return -EINVAL;    /* no "nan", "inf", " 1" */
	if (strchr(s, 'x') || strchr(s, 'X'))
		return -EINVAL;    /* no hex floats */
	errno = 0;
	*out = strtod(s, &end);
	if (*end || errno || !isfinite(*out))
		return -EINVAL;
	return 0;
}

static void load_value(int i, const yaml_node_t *k, const yaml_node_t *v,
		       struct ktstr_profile *out, struct ktstr_diags *d)
{
	const char *key = (const char *)k->data.scalar.value;
	double x;

	if (v->type != YAML_SCALAR_NODE) {
		ktstr_diags_add(d, KTSTR_DIAG_ERROR, loc_of(v),
				"timeout profile key '%s' needs a number, got %s", key, node_kind(v));
		return;
	}
	if (parse_number(v, &x)) {
		ktstr_diags_add(d, KTSTR_DIAG_ERROR, loc_of(v),
				"timeout profile key '%s' needs a plain number (%s), got '%.64s'",
				key, key_info[i].range, (const char *)v->data.scalar.value);
		return;
	}
	if (x > key_info[i].hi || x < key_info[i].lo || (key_info[i].lo_open && x <= key_info[i].lo)) {
		ktstr_diags_add(d, KTSTR_DIAG_ERROR, loc_of(v),
				"timeout profile key '%s' is out of range: %g (expected %s)", key, x,
				key_info[i].range);
		return;
	}
	*(double *)((char *)out + key_info[i].off) = x;
}

static void unknown_key(const yaml_node_t *k, struct ktstr_diags *d)
{
	const char *key = (const char *)k->data.scalar.value;
	const char *near = ktstr_suggest(key, ktstr_profile_keys, KTSTR_PROFILE_N_KEYS);
	char known[256] = "";

	for (int i = 0; i < KTSTR_PROFILE_N_KEYS; i++)
		snprintf(known + strlen(known), sizeof(known) - strlen(known), "%s%s",
			 i ? ", " : "", ktstr_profile_keys[i]);
	if (near)
		ktstr_diags_add(d, KTSTR_DIAG_ERROR, loc_of(k),
				"unknown timeout profile key '%.64s'; did you mean '%s'?", key, near);
	else
		ktstr_diags_add(d, KTSTR_DIAG_ERROR, loc_of(k),
				"unknown timeout profile key '%.64s' (known: %s)", key, known);
}

static void load_map(yaml_document_t *doc, const yaml_node_t *root, struct ktstr_profile *out,
		     struct ktstr_diags *d)
{
	struct ktstr_src_loc seen[KTSTR_PROFILE_N_KEYS] = { { 0, 0 } };

	for (yaml_node_pair_t *p = root->data.mapping.pairs.start;
	     p < root->data.mapping.pairs.top; p++) {
		yaml_node_t *k = yaml_document_get_node(doc, p->key);
		yaml_node_t *v = yaml_document_get_node(doc, p->value);
		int i;

		if (!k || !v)
			continue;
		if (k->type != YAML_SCALAR_NODE) {
			ktstr_diags_add(d, KTSTR_DIAG_ERROR, loc_of(k),
					"timeout profile keys are plain words, got %s", node_kind(k));
			continue;
		}
		i = key_index((const char *)k->data.scalar.value);
		if (i < 0) {
			unknown_key(k, d);
			continue;
		}
		if (seen[i].line) {
			ktstr_diags_add(d, KTSTR_DIAG_ERROR, loc_of(k),
					"duplicate timeout profile key '%s' (first given at line %u)",
					ktstr_profile_keys[i], seen[i].line);
			continue;
		}
		seen[i] = loc_of(k);
		load_value(i, k, v, out, d);
	}
	for (int i = 0; i < KTSTR_PROFILE_N_KEYS; i++)
		if (!seen[i].line)
			ktstr_diags_add(d, KTSTR_DIAG_ERROR, loc_of(root),
					"timeout profile is missing key '%s': every key of the "
					"profile must be given (see ci/profiles/default.yaml)",
					ktstr_profile_keys[i]);
}

int ktstr_profile_load_buf(const char *buf, size_t len, const char *name,
			   struct ktstr_profile *out, struct ktstr_diags *d)
{
	size_t errors = d->n_errors;
	yaml_parser_t parser;
	yaml_document_t doc;
	yaml_node_t *root;
	int ret = 0;

	memset(out, 0, sizeof(*out));
	snprintf(out->name, sizeof(out->name), "%s", name ? name : "");
	if (!yaml_parser_initialize(&parser))
		return -ENOMEM;
	yaml_parser_set_input_string(&parser, (const unsigned char *)buf, len);
	if (!yaml_parser_load(&parser, &doc)) {
		if (parser.error == YAML_MEMORY_ERROR)
			ret = -ENOMEM;
		else
			ktstr_yaml_syntax_error(d, &parser, "timeout profile");
		yaml_parser_delete(&parser);
		return ret ? ret : -EINVAL;
	}
	root = yaml_document_get_root_node(&doc);
	if (!root) {
		ktstr_diags_add(d, KTSTR_DIAG_ERROR, (struct ktstr_src_loc){ 1, 1 },
				"timeout profile is empty: it needs the keys %s, %s, ... "
				"(see ci/profiles/default.yaml)", ktstr_profile_keys[0],
				ktstr_profile_keys[1]);
	} else if (root->type != YAML_MAPPING_NODE) {
		ktstr_diags_add(d, KTSTR_DIAG_ERROR, loc_of(root),
				"a timeout profile must be a mapping of key: number, got %s",
				node_kind(root));
	} else {
		yaml_document_t extra;

		load_map(&doc, root, out, d);
		if (yaml_parser_load(&parser, &extra)) {
			yaml_node_t *second = yaml_document_get_root_node(&extra);

			if (second)
				ktstr_diags_add(d, KTSTR_DIAG_ERROR, loc_of(second),
						"a timeout profile holds one YAML document; a second one starts here");
			yaml_document_delete(&extra);
		} else if (parser.error == YAML_MEMORY_ERROR) {
			ret = -ENOMEM;
		} else {
			ktstr_yaml_syntax_error(d, &parser, "timeout profile");
		}
	}
	yaml_document_delete(&doc);
	yaml_parser_delete(&parser);
	if (ret)
		return ret;
	return d->n_errors > errors ? -EINVAL : 0;
}

int ktstr_profile_name_from_path(const char *path, char *buf, size_t len)
{
	const char *base = strrchr(path, '/');
	size_t n;

	base = base ? base + 1 : path;
	n = strlen(base);
	if (n > 5 && !strcmp(base + n - 5, ".yaml"))
		n -= 5;
	else if (n > 4 && !strcmp(base + n - 4, ".yml"))
		n -= 4;
	if (n == 0 || n >= len || n >= sizeof(((struct ktstr_profile *)0)->name) ||
	    base[0] == '.' || base[0] == '-')
		return -EINVAL;
	for (size_t i = 0; i < n; i++) {
		char c = base[i];

		if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') ||
		      c == '_' || c == '-' || c == '.'))
			return -EINVAL;
	}
	memcpy(buf, base, n);
	buf[n] = '\0';
	return 0;
}

int ktstr_profile_load_file(const char *path, struct ktstr_profile *out, struct ktstr_diags *d)
{
	char name[sizeof(out->name)];
	char *buf = NULL;
	size_t len = 0, cap = 0;
	FILE *f;
	int ret;

	if (!d->file[0])
		snprintf(d->file, sizeof(d->file), "%s", path);
	if (ktstr_profile_name_from_path(path, name, sizeof(name))) {
		ktstr_diags_add(d, KTSTR_DIAG_ERROR, (struct ktstr_src_loc){ 0, 0 },
				"timeout profile file name must be NAME.yaml with NAME 1-31 letters, "
				"digits, '_', '-' or '.', not starting with '.' or '-' (the profile's name)");
		return -EINVAL;
	}
	f = fopen(path, "rb");
	if (!f) {
		ret = -errno;
		ktstr_diags_add(d, KTSTR_DIAG_ERROR, (struct ktstr_src_loc){ 0, 0 },
				"cannot read timeout profile: %s", strerror(-ret));
		return ret;
	}
	for (;;) {
		size_t r;

		if (cap - len < 4096) {
			char *nb = realloc(buf, cap = cap * 2 + 4096);

			if (!nb) {
				fclose(f);
				free(buf);
				return -ENOMEM;
			}
			buf = nb;
		}
		r = fread(buf + len, 1, cap - len, f);
		len += r;
		if (r == 0)
			break;
		if (len > (1u << 20)) {
			fclose(f);
			free(buf);
			ktstr_diags_add(d, KTSTR_DIAG_ERROR, (struct ktstr_src_loc){ 0, 0 },
					"timeout profile is larger than 1 MiB: not a profile file");
			return -EINVAL;
		}
	}
	ret = ferror(f) ? -EIO : 0;
	fclose(f);
	if (ret) {
		free(buf);
		ktstr_diags_add(d, KTSTR_DIAG_ERROR, (struct ktstr_src_loc){ 0, 0 },
				"cannot read timeout profile: %s", strerror(EIO));
		return ret;
	}
	ret = ktstr_profile_load_buf(buf, len, name, out, d);
	free(buf);
	return ret;
}
