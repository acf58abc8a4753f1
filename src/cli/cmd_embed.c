/* cmd_embed: `kgas embed`: compute the local embeddings of the stored
 * chunks (pipeline/vector_search's kg_embed_chunks) and report what was
 * done.  Owns nothing beyond the call. */
#include <jansson.h>
#include <string.h>

#include "cli/commands.h"
#include "pipeline/vector_search.h"

int kg_cmd_embed(kg_cli *c)
{
    int json = 0;
    const char *model = NULL;
    for (int i = 1; i < c->argc; i++) {
        const char *a = c->argv[i];
        const char *val;
        if (strcmp(a, "--json") == 0) {
            json = 1;
            continue;
        }
        int r = kg_cli_opt_value(c, &i, "--model", &val);
        if (r < 0)
            return KG_EXIT_USAGE;
        if (r == 1) {
            model = val;
            continue;
        }
        return kg_cli_usage_error(c, a[0] == '-' ? "unknown option '%s'"
                                                 : "unexpected argument '%s'", a);
    }
    int rc = kg_cli_finish_settings(c);
    if (rc)
        return rc;
    /* Read-only first: a missing database is an error, not a new empty one. */
    kg_store *s = kg_cli_open_store(c, 1);
    if (!s)
        return KG_EXIT_FAILED;
    kg_store_close(s);
    if (!(s = kg_cli_open_store(c, 0)))
        return KG_EXIT_FAILED;
    kg_embed_report rep;
    kg_err e;
    rc = kg_embed_chunks(s, model, NULL, NULL, NULL, &rep, &e);
    /* Then the HNSW index, when searches of this many vectors use it, so the
     * first search does not pay for building it. */
    kg_vindex_opts ix;
    kg_vindex_opts_from_config(c->cfg, &ix);
    kg_vindex_report vr;
    if (rc == KG_OK)
        rc = kg_vindex_refresh(s, rep.model, rep.dim, &ix, &vr, &e);
    kg_store_close(s);
    if (rc != KG_OK) {
        kg_cli_error("%s", e.msg);
        return e.code == KG_EINVAL ? KG_EXIT_USAGE : KG_EXIT_FAILED;
    }
    if (json) {
        json_t *out = json_pack("{s:s, s:i, s:I, s:I, s:I, s:b, s:f}", "model", rep.model, "dim",
                                rep.dim, "chunks", (json_int_t)rep.chunks, "embedded",
                                (json_int_t)rep.embedded, "empty", (json_int_t)rep.empty, "refit",
                                rep.refit, "seconds", rep.seconds);
        json_object_set_new(out, "index",
                            json_pack("{s:s, s:I, s:b, s:b, s:I, s:b, s:f}", "kind", vr.index,
                                      "vectors", (json_int_t)vr.vectors, "built", vr.built,
                                      "extended", vr.extended, "added", (json_int_t)vr.added,
                                      "stored", vr.stored, "seconds", vr.seconds));
        kg_cli_print_json(out);
    } else {
        printf("%s: %lld of %lld chunks embedded%s (%.2f s)\n", rep.model,
               (long long)rep.embedded, (long long)rep.chunks,
               rep.refit ? ", IDF refitted on the current chunks" : "", rep.seconds);
        if (vr.built || vr.extended)
            printf("HNSW index %s over %lld vectors (%.2f s)%s\n",
                   vr.built ? "built" : "extended", (long long)vr.vectors, vr.seconds,
                   vr.stored ? "" : ", not stored (see the warning)");
        else if (strcmp(vr.index, "hnsw") == 0)
            printf("HNSW index up to date (%lld vectors)\n", (long long)vr.vectors);
    }
    return KG_EXIT_OK;
}
