/* cli_common: what every command shares: settings, the path policy, option
 * parsing helpers, opening the store and printing errors. */
#ifndef KG_CLI_CLI_COMMON_H
#define KG_CLI_CLI_COMMON_H

#include <stdio.h>

#include "base/err.h"
#include "base/fsafe.h"
#include "config/config.h"
#include "store/store.h"

/* Exit codes. */
#define KG_EXIT_OK 0
#define KG_EXIT_FAILED 1 /* some inputs failed, or the command failed */
#define KG_EXIT_USAGE 2

typedef struct kg_cli {
    kg_config *cfg;
    kg_path_policy policy;
    int argc;    /* the command's own arguments (global options removed) */
    char **argv; /* argv[0] is the command name */
    const char *cmd;
} kg_cli;

typedef struct kg_cli_cmd {
    const char *name;
    int (*run)(kg_cli *c);
    const char *summary;
    const char *usage; /* full --help text */
    /* Prints the --help text instead, when part of it comes from a table
     * (export's formats); NULL = print usage. */
    void (*help)(FILE *out);
} kg_cli_cmd;

/* Print "kgas: <msg>" to stderr. */
void kg_cli_error(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
/* Usage error for the current command: message + hint; returns KG_EXIT_USAGE. */
int kg_cli_usage_error(const kg_cli *c, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Option parsing over c->argv[1..]: "--name value" and "--name=value".
 * kg_cli_opt_value returns 1 and sets *val when argv[*i] is option `name`
 * with a value (advancing *i), 0 when it is another argument, -1 (after
 * printing a usage error) when the value is missing. */
int kg_cli_opt_value(kg_cli *c, int *i, const char *name, const char **val);
int kg_cli_is_help(const char *arg);
/* Parse a whole number option within [min, max]; -1 after a usage error. */
int kg_cli_parse_int(kg_cli *c, const char *opt, const char *s, long min, long max, long *out);

/* The words of a question, a search or a name must be UTF-8: text that is
 * not would match nothing and print as nothing (JSON cannot hold it), so it
 * is refused up front.  0, or KG_EXIT_USAGE after an error saying which
 * byte is wrong. */
int kg_cli_check_text(const kg_cli *c, const char *what, const char *s);

/* Print s on one line: every run of whitespace (line ends too) as one
 * space, none at either end; with max > 0, at most about max bytes, cut
 * at a word and followed by "...".  For snippets under an indented
 * heading line. */
void kg_cli_print_oneline(FILE *out, const char *s, size_t max);

/* Print s, then spaces up to width terminal columns: a name with "î" or
 * "–" (two or three bytes, one column) lines up as one in ASCII does,
 * which printf's %-40s, counting bytes, does not. */
void kg_cli_print_padded(FILE *out, const char *s, int width);

/* Set a setting from a flag, printing the validation error. 0 or exit code. */
int kg_cli_set_flag(kg_cli *c, const char *setting, const char *flag, const char *value);

/* After the command's flags: cross-setting checks and the path policy from
 * allowed_roots / max_file_bytes.  0 or an exit code (error printed). */
int kg_cli_finish_settings(kg_cli *c);

/* Open the database named by the settings. Prints the error and returns NULL. */
kg_store *kg_cli_open_store(kg_cli *c, int readonly);

/* Print a JSON value (jansson json_t *) to stdout with a newline and decref it. */
void kg_cli_print_json(void *json);

/* The command table (cli.c). */
const kg_cli_cmd *kg_cli_commands(size_t *n);

#endif
