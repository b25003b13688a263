/* SPDX-License-Identifier: GPL-2.0-only */
/* The payloads test point and dump sections (payload_report.c), exposed for the unit tests. */
#ifndef KTSTR_PAYLOAD_REPORT_H
#define KTSTR_PAYLOAD_REPORT_H

#include <stddef.h>
#include <stdio.h>

#include "ktstr/results.h"

struct ktstr_runner;

/* 1 when the scenario has a run_payload op (the plan gets a `payloads` point), else 0. */
unsigned ktstr_payload_plan_points(const struct ktstr_runner *r);

/* The `payloads` point: ok, SKIP when not reached, or not ok with the first failure. */
void ktstr_payload_report_point(struct ktstr_runner *r);

/* `--- payload NAME ---` sections, one per run. */
void ktstr_payload_dump_write(const struct ktstr_runner *r, FILE *out);

/* How a run ended, for the dump: "exited with status 3 after 1.2s (wait_payload in step 2)". */
void ktstr_payload_describe(const struct ktstr_payload_result *p, char *buf, size_t len);

/*
 * The failure message of a run that fails the scenario (ktstr_payload_failed,
 * or started and never reported ended): "payload 'hog' exited with status 3
 * after 1.2s (wait_payload in step 2)".
 */
void ktstr_payload_failure(const struct ktstr_payload_result *p, char *msg, size_t len);

#endif
