/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The scenario schema as data.  Each section (a YAML mapping) is a table of
 * fields; each field names its key, value type, default, range, where the
 * value lives in the model struct, and its documentation.  The loader
 * (scenario_yaml.c) validates against these tables, schema.c prints them,
 * and docs/scenario-reference.md is that print: one source for all three.
 */
#ifndef KTSTR_SCHEMA_H
#define KTSTR_SCHEMA_H

#include <stdbool.h>
#include <stddef.h>

enum ktstr_schema_type {
	KTSTR_ST_UINT,        /* plain integer -> unsigned */
	KTSTR_ST_STRING,      /* scalar -> char[size]; `strclass` restricts it */
	KTSTR_ST_DURATION,    /* "4s", "500ms", "1.5m", "1h" -> uint64_t ms */
	KTSTR_ST_SIZE,        /* "512M", "1G" -> uint64_t MiB */
	KTSTR_ST_PERCENT,     /* "35%" or 35 -> double */
	KTSTR_ST_BOOL,        /* true/false -> int tri-state */
	KTSTR_ST_NUMBER,      /* a float -> double; finite and in range when min <= max,
			       * else any (checked where used) */
	KTSTR_ST_MAP,         /* nested mapping, fields in `sub`, stored at off */
	KTSTR_ST_LIST,        /* sequence of `sub` mappings -> array + count */
	/* values with their own syntax, parsed by dedicated code */
	KTSTR_ST_VERSION,     /* integer, with the "newer than" message */
	KTSTR_ST_SCHEDULER,   /* "eevdf" or a `sub` mapping */
	KTSTR_ST_CPUSET,      /* cpulist string or a `sub` mapping */
	KTSTR_ST_WORK,        /* work type name, or a `sub` mapping stored in the cgroup */
	KTSTR_ST_OPKIND,      /* op name */
	KTSTR_ST_HOLD,        /* fraction in (0, 1] or a duration */
	KTSTR_ST_FRAC_PAIR,   /* [start_frac, end_frac] of a cpuset spec */
	KTSTR_ST_STRLIST,     /* sequence of strings, each < size chars */
	KTSTR_ST_EXPECT_ERR,  /* true/false or a non-empty substring (expect_err) */
	KTSTR_ST_INT,         /* signed integer -> int */
	KTSTR_ST_CHOICE,      /* a `sub` FLAG key as a string, or a one-key `sub` mapping */
	KTSTR_ST_FLAG,        /* a choice without a value (only inside CHOICE maps) */
	KTSTR_ST_NODELIST,    /* NUMA node list "0-1" -> uint32_t bitmask */
	KTSTR_ST_KNOBS,       /* mapping of cgroup knob -> value, knobs in `sub` */
	KTSTR_ST_KNOB_NAME,   /* one knob name (set_knob) -> struct ktstr_knob.id */
	KTSTR_ST_STEP_CGROUPS,/* a step's own cgroups, appended to the scenario's */
	KTSTR_ST_OP_GROUP,    /* a work group mapping, stored in the scenario's op_groups */
	KTSTR_ST_OP_SCHED,    /* a scheduler spec, stored in the scenario's op_scheds */
	KTSTR_ST_PHASES,      /* sequence of one-key mappings {spin|sleep|yield|io: duration} */
	KTSTR_ST_DURATION_US, /* "250us", "2ms", "1s" -> int64_t microseconds */
	KTSTR_ST_RATIO,       /* "0.05" or "5%" -> double fraction; range in fractions */
	KTSTR_ST_TOPOLOGY_LIST,  /* sequence of `sub` (topology) mappings, each starting from
				  * the scenario's `topology` -> array + count */
	KTSTR_ST_SCHEDULER_LIST, /* sequence of scheduler values ("eevdf" or a `sub`
				  * mapping) -> array + count */
};

enum ktstr_strclass {
	KTSTR_STR_ANY = 0,
	KTSTR_STR_NAME,       /* [A-Za-z0-9_.-] */
	KTSTR_STR_CGNAME,     /* [A-Za-z0-9_-] words joined by '/': a cgroup path */
};

/* Which section a table describes; the loader hangs per-section checks on it. */
enum ktstr_schema_section {
	KTSTR_SEC_TOP,
	KTSTR_SEC_TOPOLOGY,
	KTSTR_SEC_SCHEDULER,
	KTSTR_SEC_CGROUP,
	KTSTR_SEC_WORK,
	KTSTR_SEC_CPUSET,
	KTSTR_SEC_DISJOINT,
	KTSTR_SEC_OVERLAP,
	KTSTR_SEC_STEP,
	KTSTR_SEC_OP,
	KTSTR_SEC_CHECKS,
	KTSTR_SEC_GROUP,
	KTSTR_SEC_POLICY,
	KTSTR_SEC_DEADLINE,
	KTSTR_SEC_AFFINITY,
	KTSTR_SEC_MEMPOLICY,
	KTSTR_SEC_KNOBS,
	KTSTR_SEC_PAYLOAD,
	KTSTR_SEC_LOOP,
	KTSTR_SEC_FLAG,
	KTSTR_SEC_MATRIX,
	KTSTR_SEC__COUNT,
};

struct ktstr_schema_map;

struct ktstr_schema_field {
	const char *key;
	enum ktstr_schema_type type;
	bool required;
	/*
	 * Inclusive range in stored units (count for UINT and for LIST/STRLIST
	 * entries, ms, MiB, percent); ignored when min > max.
	 */
	double min, max;
	size_t off;                /* value's offset in the section struct */
	size_t size;               /* STRING/STRLIST: buffer size; LIST: element size */
	size_t count_off;          /* LIST/STRLIST: offset of the unsigned count */
	enum ktstr_strclass strclass;
	int tag;                   /* CPUSET/CHOICE selectors: the kind they choose; KNOBS: accepts "max" */
	const struct ktstr_schema_map *sub;
	const char *def;           /* default as users see it; NULL when required */
	const char *doc;
};

struct ktstr_schema_map {
	enum ktstr_schema_section id;
	const char *name;          /* in messages: "unknown key 'x' in cgroup" */
	const char *noun;          /* in messages: "cgroup entry needs a 'name'" */
	const char *title;         /* reference heading */
	const char *doc;
	const struct ktstr_schema_field *fields;
	size_t n_fields;
	bool has_loc;              /* the struct has a `loc` to record */
	size_t loc_off;
};

/* The top-level table; every other one is reachable from it. */
extern const struct ktstr_schema_map ktstr_schema_top;

/* The table for a section (for the loader's per-section code and tests). */
const struct ktstr_schema_map *ktstr_schema_section(enum ktstr_schema_section id);

const struct ktstr_schema_field *ktstr_schema_field(const struct ktstr_schema_map *m,
						    const char *key);

/* "an integer", "a duration such as 4s or 500ms": for "'x' must be ..." */
const char *ktstr_schema_type_expect(enum ktstr_schema_type t);

/* "[A-Za-z0-9_.-]{1,63}" style description of a string field's shape. */
void ktstr_schema_string_shape(const struct ktstr_schema_field *f, char *buf, size_t len);

/* "1..8", "100ms..1h", "1..32 entries"; "" when the field has no range. */
void ktstr_schema_range(const struct ktstr_schema_field *f, char *buf, size_t len);

#endif /* KTSTR_SCHEMA_H */
