// SPDX-License-Identifier: GPL-2.0-only
/*
 * `ktstr <command> [args]`: a table of subcommands, one file each.  Every
 * command gets argv starting at its own name and returns the exit status.
 */
#include <stdio.h>
#include <string.h>

#include "commands.h"

#ifndef KTSTR_VERSION
#define KTSTR_VERSION "unknown"    /* set by framework/cli/sources.cmake */
#endif

struct ktstr_command {
	const char *name;
	int (*fn)(int argc, char **argv);
	const char *summary;
};

/* `run` joins this table once framework/cli/cmd_run.c exists. */
static const struct ktstr_command commands[] = {
	{ "compile", ktstr_cmd_compile, "validate a scenario and generate its test executable's source" },
	{ "validate", ktstr_cmd_validate, "check scenario files and print file:line:col diagnostics" },
	{ "schema", ktstr_cmd_schema, "print every scenario key, its type, default and meaning" },
	{ "kernel", ktstr_cmd_kernel, "list, fetch, build and remove cached test kernels" },
	{ "run", ktstr_cmd_run, "run a scenario file in its own VM now, printing TAP" },
	{ "timeouts", ktstr_cmd_timeouts, "show the timeout formula and the budgets it gives" },
};

#define N_COMMANDS (sizeof(commands) / sizeof(commands[0]))

static void usage(FILE *out)
{
	fputs("usage: ktstr <command> [args]\n"
	      "       ktstr help <command>\n"
	      "       ktstr --version\n\n"
	      "ktstr tests Linux CPU schedulers: each scenario boots its own VM.\n\n"
	      "Commands:\n", out);
	for (size_t i = 0; i < N_COMMANDS; i++)
		fprintf(out, "  %-10s %s\n", commands[i].name, commands[i].summary);
	fputs("\n'ktstr <command> --help' (or 'ktstr help <command>') describes one command.\n", out);
}

static const struct ktstr_command *find_command(const char *name)
{
	for (size_t i = 0; i < N_COMMANDS; i++)
		if (!strcmp(commands[i].name, name))
			return &commands[i];
	return NULL;
}

static int unknown_command(const char *name)
{
	fprintf(stderr, "ktstr: unknown command '%s'\n\n", name);
	usage(stderr);
	return 2;
}

int main(int argc, char **argv)
{
	const struct ktstr_command *cmd;

	if (argc < 2) {
		usage(stderr);
		return 2;
	}
	if (!strcmp(argv[1], "--help") || !strcmp(argv[1], "-h") ||
	    (!strcmp(argv[1], "help") && argc == 2)) {
		usage(stdout);
		return 0;
	}
	if (!strcmp(argv[1], "--version") || !strcmp(argv[1], "version")) {
		printf("ktstr %s\n", KTSTR_VERSION);
		return 0;
	}
	if (!strcmp(argv[1], "help")) {
		char help[] = "--help";
		char *sub_argv[] = { argv[2], help, NULL };

		cmd = find_command(argv[2]);
		if (!cmd)
			return unknown_command(argv[2]);
		return cmd->fn(2, sub_argv);
	}
	cmd = find_command(argv[1]);
	if (!cmd)
		return unknown_command(argv[1]);
	return cmd->fn(argc - 1, argv + 1);
}
