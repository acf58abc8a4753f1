/* cmd_fuse: `kgas fuse` (merge entities that different documents name
 * differently) and `kgas unmerge ID` (reverse one merge); graphops/fuse
 * does the work, this parses flags and prints the report. */
#include <jansson.h>
#include <stdio.h>
#include <string.h>

#include "cli/commands.h"
#include "graphops/fuse.h"

static int failed(kg_store *s, const kg_err *e)
{
    kg_cli_error("%s", e->msg);
    kg_store_close(s);
    return KG_EXIT_FAILED;
}

static void print_report(json_t *r)
{
    size_t i;
    json_t *m;
    json_t *merges = json_object_get(r, "merges");
    json_array_foreach(merges, i, m)
    {
        json_t *id = json_object_get(m, "id");
        const char *ft = json_string_value(json_object_get(json_object_get(m, "from"), "type"));
        const char *it = json_string_value(json_object_get(json_object_get(m, "into"), "type"));
        char into_type[64] = ""; /* kindred types: "SQuAD" -> "SQuAD" (DATASET) */
        if (ft && it && strcmp(ft, it) != 0)
            snprintf(into_type, sizeof into_type, " (%s)", it);
        printf("%s%-4lld %-8s \"%s\" -> \"%s\"%s  score %.2f\n", id ? "#" : "would merge ",
               (long long)json_integer_value(id), json_string_value(json_object_get(m, "type")),
               json_string_value(json_object_get(json_object_get(m, "from"), "name")),
               json_string_value(json_object_get(json_object_get(m, "into"), "name")), into_type,
               json_real_value(json_object_get(m, "score")));
        size_t j;
        json_t *why;
        json_t *reasons = json_object_get(m, "reasons");
        json_array_foreach(reasons, j, why)
        {
            printf("      %s\n", json_string_value(why));
        }
    }
    json_t *amb = json_object_get(r, "ambiguous");
    json_array_foreach(amb, i, m)
    {
        printf("ambiguous, left alone: %s \"%s\"\n", json_string_value(json_object_get(m, "type")),
               json_string_value(json_object_get(m, "name")));
    }
    json_t *emb = json_object_get(r, "embedding");
    printf("%zu merge(s); context similarity: ", json_array_size(json_object_get(r, "merges")));
    if (json_is_true(json_object_get(emb, "used")))
        printf("weight %.2f, %lld pair(s) scored, %lld without a context; %lld words each side "
               "of a mention, IDF %s\n",
               json_real_value(json_object_get(emb, "weight")),
               (long long)json_integer_value(json_object_get(emb, "pairs_scored")),
               (long long)json_integer_value(json_object_get(emb, "pairs_without")),
               (long long)json_integer_value(json_object_get(emb, "window")),
               json_string_value(json_object_get(emb, "idf")));
    else
        printf("not used (%s)\n", json_string_value(json_object_get(emb, "note")));
}

int kg_cmd_fuse(kg_cli *c)
{
    int json = 0;
    kg_fuse_opts o = {0};
    for (int i = 1; i < c->argc; i++) {
        const char *val;
        int r;
        if (strcmp(c->argv[i], "--json") == 0) {
            json = 1;
        } else if (strcmp(c->argv[i], "--dry-run") == 0) {
            o.dry_run = 1;
        } else if ((r = kg_cli_opt_value(c, &i, "--threshold", &val)) != 0) {
            if (r < 0 || kg_cli_set_flag(c, "fuse.threshold", "--threshold", val))
                return KG_EXIT_USAGE;
        } else if ((r = kg_cli_opt_value(c, &i, "--strategy", &val)) != 0) {
            if (r < 0 || kg_cli_set_flag(c, "fuse.strategy", "--strategy", val))
                return KG_EXIT_USAGE;
        } else if ((r = kg_cli_opt_value(c, &i, "--embedding-weight", &val)) != 0) {
            if (r < 0 || kg_cli_set_flag(c, "fuse.embedding_weight", "--embedding-weight", val))
                return KG_EXIT_USAGE;
        } else {
            return kg_cli_usage_error(c, "unexpected argument '%s'", c->argv[i]);
        }
    }
    int rc = kg_cli_finish_settings(c);
    if (rc)
        return rc;
    int dry_run = o.dry_run;
    kg_fuse_opts_from_config(c->cfg, &o);
    o.dry_run = dry_run;
    kg_store *s = kg_cli_open_store(c, 0);
    if (!s)
        return KG_EXIT_FAILED;
    json_t *rep = NULL;
    kg_err e;
    if (kg_fuse_documents(s, &o, &rep, &e) != KG_OK)
        return failed(s, &e);
    kg_store_close(s);
    if (json)
        kg_cli_print_json(rep);
    else {
        print_report(rep);
        json_decref(rep);
    }
    return KG_EXIT_OK;
}

int kg_cmd_unmerge(kg_cli *c)
{
    int json = 0;
    long id = 0;
    for (int i = 1; i < c->argc; i++) {
        if (strcmp(c->argv[i], "--json") == 0)
            json = 1;
        else if (id == 0 && c->argv[i][0] != '-') {
            if (kg_cli_parse_int(c, "ID", c->argv[i], 1, 0x7fffffffL, &id) < 0)
                return KG_EXIT_USAGE;
        } else
            return kg_cli_usage_error(c, "unexpected argument '%s'", c->argv[i]);
    }
    if (id == 0)
        return kg_cli_usage_error(c, "which merge? (the id `kgas fuse` printed)");
    int rc = kg_cli_finish_settings(c);
    if (rc)
        return rc;
    kg_pagerank_opts pr;
    kg_pagerank_opts_from_config(c->cfg, &pr);
    kg_store *s = kg_cli_open_store(c, 0);
    if (!s)
        return KG_EXIT_FAILED;
    json_t *rep = NULL;
    kg_err e;
    if (kg_fuse_unmerge(s, id, &pr, &rep, &e) != KG_OK)
        return failed(s, &e);
    kg_store_close(s);
    if (json) {
        kg_cli_print_json(rep);
        return KG_EXIT_OK;
    }
    json_t *u = json_object_get(rep, "unmerged");
    printf("unmerged #%lld: \"%s\" and \"%s\" are separate again (%lld entities)\n", (long long)id,
           json_string_value(json_object_get(json_object_get(u, "from"), "name")),
           json_string_value(json_object_get(json_object_get(u, "into"), "name")),
           (long long)json_integer_value(json_object_get(rep, "entities")));
    json_decref(rep);
    return KG_EXIT_OK;
}
