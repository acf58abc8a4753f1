/* cli: parse global options, load settings, dispatch to a command.
 *
 * Global options (--db, --config, --log-level, --log-format) may stand
 * before or after the command name; they are taken out of argv first so
 * each command only sees its own arguments. */
#include "cli/cli.h"

#include <stdlib.h>
#include <string.h>

#include "base/hash.h"
#include "base/log.h"
#include "cli/cli_common.h"
#include "cli/commands.h"
#include "config/dotenv.h"

extern char **environ;

static const kg_cli_cmd COMMANDS[] = {
    {"ingest", kg_cmd_ingest, "read files and folders into the database", KG_USAGE_INGEST, NULL},
    {"documents", kg_cmd_documents, "list the documents in the database", KG_USAGE_DOCUMENTS, NULL},
    {"search", kg_cmd_search, "search the chunks: full-text (BM25), vector or hybrid",
     KG_USAGE_SEARCH, NULL},
    {"embed", kg_cmd_embed, "embed the chunks for vector and hybrid search", KG_USAGE_EMBED, NULL},
    {"stats", kg_cmd_stats, "counts of documents, chunks, entities, relationships", KG_USAGE_STATS,
     NULL},
    {"top", kg_cmd_top, "entities ranked by PageRank", KG_USAGE_TOP, NULL},
    {"query", kg_cmd_query, "answer a multi-hop question with paths and evidence", KG_USAGE_QUERY,
     NULL},
    {"path", kg_cmd_path, "paths between two entities, with evidence", KG_USAGE_PATH, NULL},
    {"entity", kg_cmd_entity, "one entity: aliases, mentions, relations", KG_USAGE_ENTITY, NULL},
    {"eval", kg_cmd_eval, "measure the entity recogniser, tagger or parser on gold data",
     KG_USAGE_EVAL, NULL},
    {"train", kg_cmd_train, "train the entity recogniser (ner), tagger (pos) or parser (parse)",
     KG_USAGE_TRAIN, NULL},
    {"config", kg_cmd_config, "show the effective settings and where each came from",
     KG_USAGE_CONFIG, NULL},
    {"tools", kg_cmd_tools, "list the tools (MCP and CLI); --validate runs each once",
     KG_USAGE_TOOLS, NULL},
    {"tool", kg_cmd_tool, "call one tool with JSON arguments", KG_USAGE_TOOL, NULL},
    {"mcp", kg_cmd_mcp, "serve the tools over MCP (stdio, or Streamable HTTP)", KG_USAGE_MCP, NULL},
    {"doctor", kg_cmd_doctor,
     "check the optional libraries and the configured LLM/embedding services", KG_USAGE_DOCTOR,
     NULL},
    {"export", kg_cmd_export, "write the graph as csv, json, graphml, neo4j, cypher, latex, ...",
     NULL, kg_cmd_export_help},
    {"fuse", kg_cmd_fuse, "merge entities that different documents name differently", KG_USAGE_FUSE,
     NULL},
    {"unmerge", kg_cmd_unmerge, "reverse one merge of `kgas fuse`", KG_USAGE_UNMERGE, NULL},
    {"triples", kg_cmd_triples, "Open IE triples (relation; arguments) of each sentence",
     KG_USAGE_TRIPLES, NULL},
    {"paper", kg_cmd_paper, "read one paper: header, sections, references (no database)",
     KG_USAGE_PAPER, NULL},
};

const kg_cli_cmd *kg_cli_commands(size_t *n)
{
    *n = sizeof COMMANDS / sizeof COMMANDS[0];
    return COMMANDS;
}

static void print_help(FILE *f)
{
    fprintf(f,
            "kgas %s: a knowledge graph of your papers and notes, with every fact tied to "
            "its source\n\n"
            "usage: kgas [GLOBAL OPTIONS] COMMAND [ARGS]\n\ncommands:\n",
            KGAS_VERSION);
    size_t n;
    const kg_cli_cmd *cmds = kg_cli_commands(&n);
    for (size_t i = 0; i < n; i++)
        fprintf(f, "  %-12s %s\n", cmds[i].name, cmds[i].summary);
    fprintf(f, "\nglobal options (before or after the command):\n"
               "  --db PATH            database file (default ./kgas.db; KGAS_DB)\n"
               "  --config FILE        settings file (default ./kgas.conf; KGAS_CONFIG)\n"
               "  --log-level LEVEL    debug|info|warn|error|off (default warn)\n"
               "  --log-format FORMAT  plain|json (default plain)\n"
               "  --help, --version\n\n"
               "`kgas COMMAND --help` describes a command. Exit codes: 0 success, 1 some inputs "
               "failed, 2 usage error.\n");
}

static const char *const GLOBAL_OPTS[][2] = {
    {"--db", "db"},
    {"--config", NULL},
    {"--log-level", "log_level"},
    {"--log-format", "log_format"},
};
#define NGLOBAL (sizeof GLOBAL_OPTS / sizeof GLOBAL_OPTS[0])

/* Match argv[i] against a global option; returns its index or -1, and
 * sets *val / *consumed. */
static int match_global(int argc, char **argv, int i, const char **val, int *consumed)
{
    for (size_t g = 0; g < NGLOBAL; g++) {
        const char *name = GLOBAL_OPTS[g][0];
        size_t n = strlen(name);
        if (strncmp(argv[i], name, n) != 0)
            continue;
        if (argv[i][n] == '=') {
            *val = argv[i] + n + 1;
            *consumed = 1;
            return (int)g;
        }
        if (argv[i][n] == '\0') {
            *val = i + 1 < argc ? argv[i + 1] : NULL;
            *consumed = 2;
            return (int)g;
        }
    }
    return -1;
}

static const kg_cli_cmd *find_cmd(const char *name)
{
    size_t n;
    const kg_cli_cmd *cmds = kg_cli_commands(&n);
    for (size_t i = 0; i < n; i++)
        if (strcmp(cmds[i].name, name) == 0)
            return &cmds[i];
    return NULL;
}

static void suggest_cmd(const char *name)
{
    size_t n;
    const kg_cli_cmd *cmds = kg_cli_commands(&n);
    const char *best = NULL;
    int bd = 3;
    for (size_t i = 0; i < n; i++) {
        int d = kg_edit_distance(name, cmds[i].name);
        if (d < bd) {
            bd = d;
            best = cmds[i].name;
        }
    }
    if (best)
        fprintf(stderr, "kgas: unknown command '%s' (did you mean '%s'?)\n", name, best);
    else
        fprintf(stderr, "kgas: unknown command '%s' (see `kgas --help`)\n", name);
}

static int apply_logging(kg_config *cfg)
{
    kg_log_set_level((kg_log_level)kg_log_level_parse(kg_config_str(cfg, "log_level")));
    kg_log_set_format((kg_log_format)kg_log_format_parse(kg_config_str(cfg, "log_format")));
    return 0;
}

int kg_cli_main(int argc, char **argv)
{
    if (kg_hash_init() != 0) {
        kg_cli_error("cannot initialise libsodium");
        return KG_EXIT_FAILED;
    }
    /* Pass 1: take the global options out of argv. */
    char **rest = calloc((size_t)argc + 1, sizeof *rest);
    const char *gval[NGLOBAL] = {0};
    int nrest = 0;
    for (int i = 1; i < argc; i++) {
        const char *val = NULL;
        int consumed = 0;
        int g = match_global(argc, argv, i, &val, &consumed);
        if (g < 0) {
            rest[nrest++] = argv[i];
            continue;
        }
        if (!val) {
            kg_cli_error("option %s needs a value (see `kgas --help`)", GLOBAL_OPTS[g][0]);
            free(rest);
            return KG_EXIT_USAGE;
        }
        gval[g] = val;
        i += consumed - 1;
    }
    if (nrest == 0) {
        print_help(stderr);
        free(rest);
        return KG_EXIT_USAGE;
    }
    if (kg_cli_is_help(rest[0]) || strcmp(rest[0], "help") == 0) {
        print_help(stdout);
        free(rest);
        return KG_EXIT_OK;
    }
    if (strcmp(rest[0], "--version") == 0 || strcmp(rest[0], "version") == 0) {
        printf("kgas %s\n", KGAS_VERSION);
        free(rest);
        return KG_EXIT_OK;
    }
    const kg_cli_cmd *cmd = find_cmd(rest[0]);
    if (!cmd) {
        if (rest[0][0] == '-')
            kg_cli_error("unknown option '%s' (see `kgas --help`)", rest[0]);
        else
            suggest_cmd(rest[0]);
        free(rest);
        return KG_EXIT_USAGE;
    }
    for (int i = 1; i < nrest; i++)
        if (kg_cli_is_help(rest[i])) {
            if (cmd->help)
                cmd->help(stdout);
            else
                printf("%s", cmd->usage);
            free(rest);
            return KG_EXIT_OK;
        }

    /* Settings: defaults < file < environment < flags. */
    kg_cli c;
    memset(&c, 0, sizeof c);
    c.cfg = kg_config_new();
    c.argc = nrest;
    c.argv = rest;
    c.cmd = cmd->name;
    kg_path_policy_init(&c.policy);
    kg_err e;
    int rc = KG_EXIT_OK;
    /* .env fills gaps in the real environment before anything reads it. */
    if (kg_dotenv_load(".env", NULL, &e) != KG_OK) {
        kg_cli_error("%s", e.msg);
        rc = KG_EXIT_USAGE;
        goto out;
    }
    const char *conf = gval[1] ? gval[1] : getenv("KGAS_CONFIG");
    if (kg_config_load_file(c.cfg, conf ? conf : "kgas.conf", conf != NULL, &e) != KG_OK ||
        kg_config_load_env(c.cfg, environ, &e) != KG_OK) {
        kg_cli_error("%s", e.msg);
        rc = KG_EXIT_USAGE;
        goto out;
    }
    for (size_t g = 0; g < NGLOBAL; g++)
        if (gval[g] && GLOBAL_OPTS[g][1] &&
            (rc = kg_cli_set_flag(&c, GLOBAL_OPTS[g][1], GLOBAL_OPTS[g][0], gval[g])) != 0)
            goto out;
    apply_logging(c.cfg);
    rc = cmd->run(&c);
out:
    kg_path_policy_free(&c.policy);
    kg_config_free(c.cfg);
    free(rest);
    return rc;
}
