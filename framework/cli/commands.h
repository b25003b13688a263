/* SPDX-License-Identifier: GPL-2.0-only */
/* The `ktstr` subcommands; each returns the process exit code. */
#ifndef KTSTR_CLI_COMMANDS_H
#define KTSTR_CLI_COMMANDS_H

int ktstr_cmd_compile(int argc, char **argv);   /* cmd_compile.c */
int ktstr_cmd_validate(int argc, char **argv);  /* cmd_validate.c */
int ktstr_cmd_schema(int argc, char **argv);    /* cmd_schema.c */
int ktstr_cmd_kernel(int argc, char **argv);    /* cmd_kernel.c */
int ktstr_cmd_run(int argc, char **argv);       /* cmd_run.c */
int ktstr_cmd_timeouts(int argc, char **argv);  /* cmd_timeouts.c */

#endif
