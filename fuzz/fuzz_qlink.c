/* fuzz_qlink: question linking (search/qlink over graph/qphrase), which
 * reads every question an MCP client or `kgas search|query|path` passes:
 * the recogniser on the question, its phrases, the name index and title
 * look-ups, the JSON report.  The database is made once per process by
 * ingesting a few short documents (names, an acronym, titles); the first
 * input byte picks the flags, the rest is the question. */
#include <jansson.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "base/hash.h"
#include "common.h"
#include "ingest/ingest.h"
#include "search/qlink.h"
#include "store/store.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static const char *const DOCS[][2] = {
    {"keller.txt", "Maria Keller\n\nDr. Maria Keller works at the University of Lisbon in "
                   "Portugal. Keller proposed the Graph Echo Network in 2019.\n"},
    {"etuc.txt", "Trade unions\n\nThe European Trade Union Confederation (ETUC) represents "
                 "workers in Brussels. The ETUC was founded in 1973.\n"},
    {"lilu.txt", "Lilu (mythology)\n\nLilu is a demon in Akkadian mythology, named beside "
                 "Gallu in the texts of Babylon. Müller and Østergård wrote on it.\n"},
};

static kg_store *g_store;

static void make_db(void)
{
    char dir[1024], db[1100], path[1200];
    snprintf(dir, sizeof dir, "%s/qdocs", fz_dir());
    snprintf(db, sizeof db, "%s/q.db", fz_dir());
    if (mkdir(dir, 0700) != 0)
        abort();
    for (size_t i = 0; i < sizeof DOCS / sizeof DOCS[0]; i++) {
        snprintf(path, sizeof path, "%s/%s", dir, DOCS[i][0]);
        FILE *f = fopen(path, "w");
        if (!f || fputs(DOCS[i][1], f) < 0 || fclose(f) != 0)
            abort();
    }
    kg_err e;
    kg_store *s = NULL;
    if (kg_store_open(db, NULL, &s, &e) != KG_OK)
        abort();
    kg_ingest_opts o;
    memset(&o, 0, sizeof o);
    o.jobs = 1;
    o.chunk.chunk_size = 512;
    o.chunk.overlap = 50;
    o.build_graph = 1;
    o.min_confidence = 0.3;
    kg_ingest_summary sum;
    const char *paths[] = {dir};
    if (kg_ingest_run(s, paths, 1, &o, &sum, &e) != KG_OK || sum.added != 3)
        abort();
    kg_ingest_summary_free(&sum);
    kg_store_close(s);
    kg_store_opts ro = {KG_STORE_READONLY, 0};
    if (kg_store_open(db, &ro, &g_store, &e) != KG_OK)
        abort();
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
    if (!g_store) {
        kg_hash_init();
        make_db();
    }
    if (size < 1)
        return 0;
    unsigned flags = data[0] & (KG_QLINK_ENTITIES | KG_QLINK_TITLES | KG_QLINK_PHRASE);
    char *q = fz_str(data + 1, size - 1);
    kg_qlink_result r;
    memset(&r, 0, sizeof r);
    kg_err e;
    if (kg_qlink_run(g_store, q, flags, &r, &e) == KG_OK) {
        json_t *j = kg_qlink_json(&r);
        char *text = json_dumps(j, JSON_COMPACT);
        /* A question of valid UTF-8 (every MCP argument is) must give a
         * report of valid UTF-8: a link's words never cut a character. */
        json_t *valid = json_string(q);
        if (!text && valid)
            __builtin_trap();
        json_decref(valid);
        free(text);
        json_decref(j);
        kg_qlink_result_free(&r);
    }
    free(q);
    return 0;
}
