/* cmd_graph: commands over the knowledge graph: top, query, entity, path. */
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "cli/commands.h"
#include "graphops/graph_hood.h"
#include "graphops/graph_query.h"
#include "store/graph_store.h"

typedef struct graph_args {
    int json;
    long limit, hops;
    const char *type;
    kg_buf words; /* positional words joined by spaces */
    char *pos[2]; /* first two positionals (path X Y) */
    int npos;
} graph_args;

static int parse(kg_cli *c, graph_args *a, int want_type, int want_hops)
{
    for (int i = 1; i < c->argc; i++) {
        const char *arg = c->argv[i];
        const char *val;
        int r;
        if (strcmp(arg, "--json") == 0) {
            a->json = 1;
            continue;
        }
        if ((r = kg_cli_opt_value(c, &i, "--limit", &val)) != 0) {
            if (r < 0 || kg_cli_parse_int(c, "--limit", val, 1, 1000, &a->limit) < 0)
                return KG_EXIT_USAGE;
            continue;
        }
        if (want_hops && (r = kg_cli_opt_value(c, &i, "--hops", &val)) != 0) {
            if (r < 0 || kg_cli_parse_int(c, "--hops", val, 1, 3, &a->hops) < 0)
                return KG_EXIT_USAGE;
            continue;
        }
        if (want_type && (r = kg_cli_opt_value(c, &i, "--type", &val)) != 0) {
            if (r < 0)
                return KG_EXIT_USAGE;
            a->type = val;
            continue;
        }
        if (arg[0] == '-' && arg[1] && a->npos == 0)
            return kg_cli_usage_error(c, "unknown option '%s'", arg);
        if (a->npos < 2)
            a->pos[a->npos] = c->argv[i];
        a->npos++;
        if (a->words.len)
            kg_buf_putc(&a->words, ' ');
        kg_buf_puts(&a->words, arg);
    }
    if (a->words.len &&
        kg_cli_check_text(c, strcmp(c->cmd, "query") == 0 ? "the question" : "the name",
                          a->words.data))
        return KG_EXIT_USAGE;
    return kg_cli_finish_settings(c);
}

static int fail_with(kg_store *s, const kg_err *e, int code)
{
    kg_cli_error("%s", e->msg);
    kg_store_close(s);
    return code;
}

int kg_cmd_top(kg_cli *c)
{
    graph_args a = {0};
    a.limit = 10;
    int rc = parse(c, &a, 1, 0);
    if (!rc && a.npos)
        rc = kg_cli_usage_error(c, "unexpected argument '%s'", a.pos[0]);
    kg_buf_free(&a.words);
    if (rc)
        return rc;
    kg_store *s = kg_cli_open_store(c, 1);
    if (!s)
        return KG_EXIT_FAILED;
    json_t *out = NULL;
    kg_err e;
    if (kg_graph_top_json(s, a.type, (int)a.limit, &out, &e) != KG_OK)
        return fail_with(s, &e, KG_EXIT_FAILED);
    kg_store_close(s);
    if (a.json) {
        kg_cli_print_json(out);
        return KG_EXIT_OK;
    }
    size_t i;
    json_t *x;
    json_array_foreach(json_object_get(out, "entities"), i, x)
    {
        printf("%3zu. ", i + 1);
        kg_cli_print_padded(stdout, json_string_value(json_object_get(x, "name")), 40);
        printf(" %-10s pagerank %.4f  %lld mentions\n",
               json_string_value(json_object_get(x, "type")),
               json_real_value(json_object_get(x, "pagerank")),
               (long long)json_integer_value(json_object_get(x, "mentions")));
    }
    if (json_array_size(json_object_get(out, "entities")) == 0)
        printf("no entities yet (run `kgas ingest PATH`)\n");
    json_decref(out);
    return KG_EXIT_OK;
}

static void print_path(json_t *p)
{
    printf("    %s   (confidence %.2f)\n", json_string_value(json_object_get(p, "path")),
           json_real_value(json_object_get(p, "confidence")));
    size_t i;
    json_t *ev;
    json_array_foreach(json_object_get(p, "evidence"), i, ev)
    {
        printf("      - \"%s\"\n        %s, p. %lld, bytes %lld-%lld\n",
               json_string_value(json_object_get(ev, "sentence")),
               json_string_value(json_object_get(ev, "title")),
               (long long)json_integer_value(json_object_get(ev, "page")),
               (long long)json_integer_value(json_object_get(ev, "char_start")),
               (long long)json_integer_value(json_object_get(ev, "char_end")));
    }
}

/* A query's passages: title, section, page and bytes tell apart two
 * passages of one document, the start of the text says what each is
 * about.  Those the walk did not reach (score 0: they only share words
 * with the question, docs/retrieval.md) come last, under a line that says
 * so, when the walk reached any. */
static void print_passages(json_t *arr)
{
    size_t i;
    json_t *x;
    int reached = 0, said = 0;
    json_array_foreach(arr, i, x)
    {
        reached |= json_number_value(json_object_get(x, "score")) > 0.0;
    }
    json_array_foreach(arr, i, x)
    {
        if (i == 0)
            printf("passages (hybrid search):\n");
        if (reached && !said && !(json_number_value(json_object_get(x, "score")) > 0.0)) {
            printf("  not reached from the question's entities, only sharing its words:\n");
            said = 1;
        }
        const char *title = json_string_value(json_object_get(x, "title"));
        const char *sec = json_string_value(json_object_get(x, "section"));
        if (sec && title && strcmp(sec, title) == 0)
            sec = NULL; /* a document whose only heading is its title */
        printf("  %2zu. %s%s%s (p. %lld, bytes %lld-%lld)\n      ", i + 1, title ? title : "",
               sec ? " \xc2\xa7 " : "", sec ? sec : "",
               (long long)json_integer_value(json_object_get(x, "page")),
               (long long)json_integer_value(json_object_get(x, "char_start")),
               (long long)json_integer_value(json_object_get(x, "char_end")));
        kg_cli_print_oneline(stdout, json_string_value(json_object_get(x, "snippet")), 100);
        putchar('\n');
    }
}

static int run_graph_query(kg_cli *c, int paths)
{
    graph_args a = {0};
    a.limit = paths ? 5 : kg_config_int(c->cfg, "query.limit");
    a.hops = paths ? 3 : kg_config_int(c->cfg, "query.max_hops");
    int rc = parse(c, &a, 0, 1);
    if (!rc && !paths && a.words.len == 0)
        rc = kg_cli_usage_error(c, "give a question");
    if (!rc && paths && a.npos != 2)
        rc = kg_cli_usage_error(c, "give exactly two entity names (quote names with spaces)");
    if (rc) {
        kg_buf_free(&a.words);
        return rc;
    }
    kg_store *s = kg_cli_open_store(c, 1);
    if (!s) {
        kg_buf_free(&a.words);
        return KG_EXIT_FAILED;
    }
    kg_graph_view v;
    kg_err e;
    json_t *out = NULL;
    rc = paths ? kg_graph_view_load_pair(s, a.pos[0], a.pos[1], (int)a.hops, &v, &e)
               : kg_graph_view_load_question(s, a.words.data, (int)a.hops, &v, &e);
    if (!rc)
        rc = paths ? kg_graph_paths_json(s, &v, a.pos[0], a.pos[1], (int)a.hops, (int)a.limit, &out,
                                         &e)
                   : kg_graph_answer_json(s, &v, a.words.data, (int)a.hops, (int)a.limit, &out, &e);
    kg_graph_view_free(&v);
    kg_buf_free(&a.words);
    if (rc)
        return fail_with(s, &e, e.code == KG_EINVAL ? KG_EXIT_USAGE : KG_EXIT_FAILED);
    kg_store_close(s);
    if (a.json) {
        kg_cli_print_json(out);
        return KG_EXIT_OK;
    }
    json_t *list = json_object_get(out, paths ? "paths" : "answers");
    json_t *matched = json_object_get(out, "matched");
    printf("matched:");
    size_t i;
    json_t *x;
    json_array_foreach(matched, i, x)
    {
        printf("%s %s (%s)", i ? "," : "", json_string_value(json_object_get(x, "name")),
               json_string_value(json_object_get(x, "type")));
    }
    printf("%s\n", json_array_size(matched) ? "" : " nothing (no entity of the graph is named)");
    json_array_foreach(list, i, x)
    {
        if (paths) {
            printf("%2zu.\n", i + 1);
        } else {
            json_t *ent = json_object_get(x, "entity");
            printf("%2zu. %s (%s)  score %.3f\n", i + 1,
                   json_string_value(json_object_get(ent, "name")),
                   json_string_value(json_object_get(ent, "type")),
                   json_real_value(json_object_get(x, "score")));
        }
        print_path(x);
    }
    if (json_array_size(list) == 0 && json_array_size(matched))
        printf("no %s within %ld hops\n", paths ? "path" : "answer", a.hops);
    print_passages(json_object_get(out, "passages"));
    json_decref(out);
    return KG_EXIT_OK;
}

int kg_cmd_query(kg_cli *c)
{
    return run_graph_query(c, 0);
}

int kg_cmd_path(kg_cli *c)
{
    return run_graph_query(c, 1);
}

int kg_cmd_entity(kg_cli *c)
{
    graph_args a = {0};
    a.limit = 10;
    int rc = parse(c, &a, 0, 0);
    if (!rc && a.words.len == 0)
        rc = kg_cli_usage_error(c, "give an entity name or id");
    if (rc) {
        kg_buf_free(&a.words);
        return rc;
    }
    kg_store *s = kg_cli_open_store(c, 1);
    if (!s) {
        kg_buf_free(&a.words);
        return KG_EXIT_FAILED;
    }
    json_t *out = NULL;
    kg_err e;
    rc = kg_graph_entity_json(s, a.words.data, (int)a.limit, &out, &e);
    kg_buf_free(&a.words);
    if (rc)
        return fail_with(s, &e, KG_EXIT_FAILED);
    kg_store_close(s);
    if (a.json) {
        kg_cli_print_json(out);
        return KG_EXIT_OK;
    }
    printf("%s  (%s, %s)\n", json_string_value(json_object_get(out, "name")),
           json_string_value(json_object_get(out, "type")),
           json_string_value(json_object_get(out, "id")));
    printf("pagerank %.4f (rank %lld), %lld mentions\n",
           json_real_value(json_object_get(out, "pagerank")),
           (long long)json_integer_value(json_object_get(out, "rank")),
           (long long)json_integer_value(json_object_get(out, "mentions")));
    char *al = json_dumps(json_object_get(out, "aliases"), JSON_COMPACT);
    printf("aliases: %s\n", al);
    free(al);
    size_t i;
    json_t *x;
    printf("mentions:\n");
    json_array_foreach(json_object_get(out, "mention_list"), i, x)
    {
        printf("  - %s, p. %lld: ...", json_string_value(json_object_get(x, "title")),
               (long long)json_integer_value(json_object_get(x, "page")));
        kg_cli_print_oneline(stdout, json_string_value(json_object_get(x, "snippet")), 0);
        printf("...\n");
    }
    printf("relations:\n");
    json_array_foreach(json_object_get(out, "relations"), i, x)
    {
        json_t *o = json_object_get(x, "other");
        int outgoing = strcmp(json_string_value(json_object_get(x, "direction")), "out") == 0;
        printf("  %s[%s]%s %s (%s)  x%lld\n", outgoing ? "-" : "<-",
               json_string_value(json_object_get(x, "type")), outgoing ? "->" : "-",
               json_string_value(json_object_get(o, "name")),
               json_string_value(json_object_get(o, "type")),
               (long long)json_integer_value(json_object_get(x, "support")));
    }
    json_decref(out);
    return KG_EXIT_OK;
}
