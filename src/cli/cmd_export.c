/* cmd_export: `kgas export`: the graph in another format, to stdout or to
 * files (export/export does the work; this parses flags and reports).  Its
 * --help lists the formats of export/export_list.h. */
#include <ctype.h>
#include <jansson.h>
#include <stdlib.h>
#include <string.h>

#include "cli/commands.h"
#include "export/export.h"

/* Split "A,b" into upper-case names; the copies live in one block. */
typedef struct name_list {
    char *block;
    const char **v;
    size_t n;
} name_list;

static void split_names(const char *s, name_list *l)
{
    l->block = kg_xstrdup(s);
    l->v = kg_xcalloc(strlen(s) / 2 + 2, sizeof *l->v);
    l->n = 0;
    for (char *tok = strtok(l->block, ", "); tok; tok = strtok(NULL, ", ")) {
        for (char *p = tok; *p; p++)
            *p = (char)toupper((unsigned char)*p);
        l->v[l->n++] = tok;
    }
}

void kg_cmd_export_help(FILE *out)
{
    fputs(KG_USAGE_EXPORT_HEAD, out);
    for (size_t f = 0; f < kg_export_format_count(); f++)
        fprintf(out, "  %-9s %s\n", kg_export_format_name((kg_export_format)f),
                kg_export_format_help((kg_export_format)f));
    fputs(KG_USAGE_EXPORT_TAIL, out);
}

int kg_cmd_export(kg_cli *c)
{
    const char *format = NULL, *out = NULL, *types = NULL, *rtypes = NULL;
    double min_conf = 0;
    long limit = 0;
    int json = 0;
    for (int i = 1; i < c->argc; i++) {
        const char *val;
        int r;
        if (strcmp(c->argv[i], "--json") == 0) {
            json = 1;
        } else if ((r = kg_cli_opt_value(c, &i, "--format", &val)) != 0) {
            if (r < 0)
                return KG_EXIT_USAGE;
            format = val;
        } else if ((r = kg_cli_opt_value(c, &i, "--out", &val)) != 0) {
            if (r < 0)
                return KG_EXIT_USAGE;
            out = val;
        } else if ((r = kg_cli_opt_value(c, &i, "--types", &val)) != 0) {
            if (r < 0)
                return KG_EXIT_USAGE;
            types = val;
        } else if ((r = kg_cli_opt_value(c, &i, "--relation-types", &val)) != 0) {
            if (r < 0)
                return KG_EXIT_USAGE;
            rtypes = val;
        } else if ((r = kg_cli_opt_value(c, &i, "--limit", &val)) != 0) {
            if (r < 0 || kg_cli_parse_int(c, "--limit", val, 0, 1000000000L, &limit) < 0)
                return KG_EXIT_USAGE;
        } else if ((r = kg_cli_opt_value(c, &i, "--min-confidence", &val)) != 0) {
            char *end = NULL;
            if (r > 0)
                min_conf = strtod(val, &end);
            if (r < 0 || !end || *end || end == val || min_conf < 0 || min_conf > 1)
                return r < 0 ? KG_EXIT_USAGE
                             : kg_cli_usage_error(c, "--min-confidence takes a number in 0..1");
        } else {
            return kg_cli_usage_error(c, "unexpected argument '%s'", c->argv[i]);
        }
    }
    int rc = kg_cli_finish_settings(c);
    if (rc)
        return rc;
    if (!format)
        return kg_cli_usage_error(c, "--format is required");
    kg_export_opts o;
    memset(&o, 0, sizeof o);
    kg_err e;
    if (kg_export_format_parse(format, &o.format, &e))
        return kg_cli_usage_error(c, "%s", e.msg);
    if (!out && kg_export_format_multi(o.format))
        return kg_cli_usage_error(c, "--format %s writes several files: give --out DIRECTORY",
                                  kg_export_format_name(o.format));
    name_list tl = {0}, rl = {0};
    if (types) {
        split_names(types, &tl);
        o.filter.entity_types = tl.v;
        o.filter.n_entity_types = tl.n;
    }
    if (rtypes) {
        split_names(rtypes, &rl);
        o.filter.relation_types = rl.v;
        o.filter.n_relation_types = rl.n;
    }
    o.filter.min_confidence = min_conf;
    o.filter.limit = limit;

    int code = KG_EXIT_OK;
    kg_export_target *t = NULL;
    kg_export_stream stream;
    kg_export_sink sink;
    kg_export_stats st;
    kg_store *s = kg_cli_open_store(c, 1);
    if (!s) {
        code = KG_EXIT_FAILED;
    } else if (out && kg_export_target_open(&c->policy, out, o.format, &t, &e)) {
        kg_cli_error("%s", e.msg);
        code = KG_EXIT_FAILED;
    } else {
        if (t)
            kg_export_target_sink(t, &sink);
        else
            kg_export_stream_sink(&stream, stdout, &sink);
        if (kg_export_run(s, &o, &sink, &st, &e)) {
            kg_cli_error("%s", e.msg);
            code = KG_EXIT_FAILED;
        } else if (json) {
            json_t *files = json_array();
            for (size_t i = 0; t && i < kg_export_target_count(t); i++)
                json_array_append_new(files, json_string(kg_export_target_path(t, i)));
            kg_cli_print_json(json_pack(
                "{s:s, s:I, s:I, s:I, s:I, s:o}", "format", kg_export_format_name(o.format),
                "nodes", (json_int_t)st.nodes, "edges", (json_int_t)st.edges, "documents",
                (json_int_t)st.documents, "bytes", (json_int_t)st.bytes, "files", files));
        } else if (t) {
            fprintf(stderr, "exported %lld entities, %lld relationships (%lld bytes) to",
                    (long long)st.nodes, (long long)st.edges, (long long)st.bytes);
            for (size_t i = 0; i < kg_export_target_count(t); i++)
                fprintf(stderr, " %s", kg_export_target_path(t, i));
            fprintf(stderr, "\n");
        }
    }
    kg_export_target_free(t);
    kg_store_close(s);
    free(tl.block);
    free(tl.v);
    free(rl.block);
    free(rl.v);
    return code;
}
