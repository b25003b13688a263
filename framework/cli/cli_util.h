/* SPDX-License-Identifier: GPL-2.0-only */
/* Small helpers shared by the `ktstr` subcommands: number and accelerator parsing. */
#ifndef KTSTR_CLI_UTIL_H
#define KTSTR_CLI_UTIL_H

#include <stdbool.h>

#include "ktstr/vm.h"   /* enum ktstr_accel, ktstr_accel_parse() */



/*
 * Whether budgets must assume TCG.  `auto` probes /dev/kvm the way QEMU will
 * use it (O_RDWR): a node that exists but is not writable still means TCG.
 */
bool ktstr_accel_is_tcg(enum ktstr_accel a);

/* A finite number >= 0 spelled completely (no trailing junk); -EINVAL otherwise. */
int ktstr_parse_seconds(const char *s, double *out);

/* A decimal unsigned in [min, max]; -EINVAL / -ERANGE otherwise. */
int ktstr_parse_uint(const char *s, unsigned min, unsigned max, unsigned *out);

struct ktstr_err;
/*
 * The error for getopt_long's '?' in a command's option loop: a missing
 * value or an unknown option, named as the user typed it.  Returns -EINVAL.
 */
int ktstr_cli_bad_option(char **argv, struct ktstr_err *err);

#endif /* KTSTR_CLI_UTIL_H */
