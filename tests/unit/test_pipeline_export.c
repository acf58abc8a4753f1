/* Unit tests for export/export: the escapers, every format on a small
 * store built with SQL, the filters, and the three sinks (memory limit,
 * one-file streams, the path policy on disk). */
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <cmocka.h>

#include <sqlite3.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "export/export.h"
#include "export/export_escape.h"
#include "store/sqlite/sq_backend.h"
#include "testutil.h"

#define ESC(fn, in, want)                           \
    do {                                            \
        kg_buf b_ = KG_BUF_INIT;                    \
        fn(&b_, in);                                \
        assert_string_equal(kg_buf_str(&b_), want); \
        kg_buf_free(&b_);                           \
    } while (0)

static void test_escapes(void **state)
{
    (void)state;
    ESC(kg_export_csv, "plain", "plain");
    ESC(kg_export_csv, "a,b", "\"a,b\"");
    ESC(kg_export_csv, "say \"hi\"", "\"say \"\"hi\"\"\"");
    ESC(kg_export_csv, "two\nlines", "\"two\nlines\"");
    ESC(kg_export_csv, " padded", "\" padded\"");
    ESC(kg_export_csv, "", "");
    ESC(kg_export_xml, "a<b>&\"c'", "a&lt;b&gt;&amp;&quot;c&apos;");
    ESC(kg_export_xml, "bell\a tab\t", "bell tab\t");
    ESC(kg_export_xml, "Gödel", "Gödel");
    ESC(kg_export_json, "q\"b\\n\n\x01", "\"q\\\"b\\\\n\\n\\u0001\"");
    ESC(kg_export_latex, "50% of $5 & #1_a {x} ~^\\",
        "50\\% of \\$5 \\& \\#1\\_a \\{x\\} \\textasciitilde{}\\textasciicircum{}"
        "\\textbackslash{}");
    ESC(kg_export_latex, "a<b\nc", "a\\textless{}b c");
    ESC(kg_export_bibtex, "  A   {B}\n C_1 ", "A \\{B\\} C\\_1");
    ESC(kg_export_markdown, "a|b *c* [d](e) `f`", "a\\|b \\*c\\* \\[d\\](e) \\`f\\`");
}

static const char *ODD = "Ada \"The Countess\" O'Brien, <L> & Co";

/* Three entities (one with every awkward character), four relationships:
 * a RELATED_TO pair (written both ways by graphml), a typed edge, an edge
 * whose end is missing (never exported), one document with a chunk and
 * evidence. */
static kg_store *make_store(const char *dir)
{
    char *path = tu_join(dir, "t.db");
    kg_store *s = NULL;
    kg_err e;
    assert_int_equal(kg_store_open(path, NULL, &s, &e), KG_OK);
    free(path);
    sqlite3 *db = kg_sqlite_handle(s);
    const char *sql =
        "INSERT INTO documents(id, path, hash, title, kind, pages, ingested_at) VALUES"
        " ('doc_1', '/p/paper.pdf', 'h', 'Graphs & Things', 'pdf', 3, 1);"
        "INSERT INTO chunks(id, document_id, ordinal, page_start, page_end, char_start,"
        " char_end, tokens, text) VALUES ('chk_1', 'doc_1', 0, 2, 2, 0, 80, 10,"
        " 'Graphs & Things\nAda Lovelace and Charles Babbage\n1843\nAda met Babbage.');"
        "INSERT INTO entities(id, name, key, type, confidence, mentions, pagerank, rank) VALUES"
        " ('ent_a', ?1, 'a', 'PERSON', 0.9, 3, 0.5, 1),"
        " ('ent_b', 'Charles Babbage', 'b', 'PERSON', 0.8, 2, 0.3, 2),"
        " ('ent_c', 'London', 'c', 'GPE', 0.4, 1, 0.2, 3);"
        "INSERT INTO relationships(id, source_id, target_id, type, weight, confidence, method,"
        " support) VALUES"
        " ('rel_1', 'ent_a', 'ent_b', 'RELATED_TO', 0.3, 0.3, 'cooccurrence', 1),"
        " ('rel_2', 'ent_b', 'ent_c', 'LOCATED_IN', 0.7, 0.7, 'verb', 1),"
        " ('rel_3', 'ent_a', 'ent_c', 'WORKS_FOR', 1.0, 0.9, 'pattern', 2),"
        " ('rel_4', 'ent_a', 'ent_gone', 'WORKS_FOR', 1.0, 0.9, 'pattern', 1);"
        "INSERT INTO relation_evidence(id, source_id, target_id, type, document_id, chunk_id,"
        " char_start, char_end, confidence, method) VALUES"
        " ('ev_1', 'ent_a', 'ent_c', 'WORKS_FOR', 'doc_1', 'chk_1', 64, 80, 0.9, 'pattern');";
    /* The odd name is bound, statement by statement. */
    const char *tail = sql;
    while (tail && *tail) {
        sqlite3_stmt *st = NULL;
        assert_int_equal(sqlite3_prepare_v2(db, tail, -1, &st, &tail), SQLITE_OK);
        if (!st)
            break;
        if (sqlite3_bind_parameter_count(st))
            sqlite3_bind_text(st, 1, ODD, -1, SQLITE_STATIC);
        assert_int_equal(sqlite3_step(st), SQLITE_DONE);
        sqlite3_finalize(st);
    }
    return s;
}

/* Export to memory; returns file i's text (owned by m). */
static const char *export_mem(kg_store *s, kg_export_format f, const kg_export_filter *flt,
                              kg_export_mem *m, kg_export_stats *st)
{
    kg_export_opts o;
    memset(&o, 0, sizeof o);
    o.format = f;
    if (flt)
        o.filter = *flt;
    kg_export_sink sink;
    kg_export_mem_sink(m, 1 << 20, &sink);
    kg_err e;
    int rc = kg_export_run(s, &o, &sink, st, &e);
    if (rc)
        fail_msg("export %s: %s", kg_export_format_name(f), e.msg);
    return kg_buf_str(&m->texts[0]);
}

static int count(const char *hay, const char *needle)
{
    int n = 0;
    for (const char *p = hay; (p = strstr(p, needle)); p += strlen(needle))
        n++;
    return n;
}

static void test_formats(void **state)
{
    (void)state;
    char *dir = tu_tmpdir();
    kg_store *s = make_store(dir);
    kg_export_mem m;
    kg_export_stats st;

    const char *t = export_mem(s, KG_EXPORT_CSV, NULL, &m, &st);
    assert_int_equal(m.n, 3);
    assert_string_equal(m.names[2], "adjacency.csv");
    assert_non_null(strstr(t, "\"Ada \"\"The Countess\"\" O'Brien, <L> & Co\""));
    assert_int_equal(st.nodes, 3);
    assert_int_equal(st.edges, 3); /* rel_4 has a missing end */
    /* adjacency is PageRank's graph: RELATED_TO both ways */
    assert_non_null(strstr(kg_buf_str(&m.texts[2]), "ent_a,2,ent_b;ent_c\r\n"));
    assert_non_null(strstr(kg_buf_str(&m.texts[2]), "ent_b,2,ent_a;ent_c\r\n"));
    kg_export_mem_free(&m);

    t = export_mem(s, KG_EXPORT_JSON, NULL, &m, &st);
    assert_non_null(strstr(t, "\"Ada \\\"The Countess\\\" O'Brien, <L> & Co\""));
    assert_non_null(strstr(t, "\"adjacency\":{"));
    kg_export_mem_free(&m);

    t = export_mem(s, KG_EXPORT_GRAPHML, NULL, &m, &st);
    assert_non_null(strstr(t, "Ada &quot;The Countess&quot; O&apos;Brien, &lt;L&gt; &amp; Co"));
    assert_int_equal(count(t, "<edge "), 4);
    assert_non_null(strstr(t, "id=\"rel_1~rev\" source=\"ent_b\" target=\"ent_a\""));
    assert_non_null(strstr(t, "edgedefault=\"directed\""));
    kg_export_mem_free(&m);

    t = export_mem(s, KG_EXPORT_NEO4J, NULL, &m, &st);
    assert_int_equal(m.n, 2);
    assert_true(strncmp(t, "id:ID,name,type,:LABEL,pagerank:double", 38) == 0);
    assert_non_null(strstr(t, ",Entity;PERSON,"));
    assert_true(strncmp(kg_buf_str(&m.texts[1]), ":START_ID,:END_ID,:TYPE,", 24) == 0);
    kg_export_mem_free(&m);

    t = export_mem(s, KG_EXPORT_CYPHER, NULL, &m, &st);
    assert_int_equal(count(t, "UNWIND $rows AS r MERGE (n:Entity"), 1);
    assert_int_equal(count(t, "MERGE (a)-[e:`"), 3); /* one batch per relation type */
    assert_non_null(strstr(t, "name: \"Ada \\\"The Countess\\\" O'Brien, <L> & Co\""));
    kg_export_mem_free(&m);

    t = export_mem(s, KG_EXPORT_LATEX, NULL, &m, &st);
    assert_non_null(strstr(t, "Ada \"The Countess\" O'Brien, \\textless{}L\\textgreater{} \\& Co"));
    assert_non_null(strstr(t, "WORKS\\_FOR"));
    kg_export_mem_free(&m);

    t = export_mem(s, KG_EXPORT_BIBTEX, NULL, &m, &st);
    assert_non_null(strstr(t, "@misc{doc_1,"));
    assert_non_null(strstr(t, "title = {{Graphs \\& Things}}"));
    assert_non_null(strstr(t, "author = {Ada Lovelace and Charles Babbage}"));
    assert_non_null(strstr(t, "year = {1843}"));
    kg_export_mem_free(&m);

    t = export_mem(s, KG_EXPORT_MARKDOWN, NULL, &m, &st);
    assert_non_null(strstr(t, "| 1 | Ada \"The Countess\" O'Brien, \\<L\\> & Co | PERSON |"));
    assert_non_null(strstr(t, "*Graphs & Things*, p. 2"));
    kg_export_mem_free(&m);

    /* Filters: persons only, then the top one, then a confidence floor. */
    const char *person[] = {"PERSON"};
    kg_export_filter f = {.entity_types = person, .n_entity_types = 1};
    export_mem(s, KG_EXPORT_JSON, &f, &m, &st);
    assert_int_equal(st.nodes, 2);
    assert_int_equal(st.edges, 1);
    kg_export_mem_free(&m);
    f = (kg_export_filter){.limit = 1};
    export_mem(s, KG_EXPORT_CSV, &f, &m, &st);
    assert_int_equal(st.nodes, 1);
    assert_int_equal(st.edges, 0);
    kg_export_mem_free(&m);
    const char *works[] = {"WORKS_FOR"};
    f = (kg_export_filter){.min_confidence = 0.5, .relation_types = works, .n_relation_types = 1};
    export_mem(s, KG_EXPORT_GRAPHML, &f, &m, &st);
    assert_int_equal(st.nodes, 2);
    assert_int_equal(st.edges, 0); /* London is below 0.5 */
    kg_export_mem_free(&m);

    kg_store_close(s);
    tu_rmrf(dir);
    free(dir);
}

static void test_sinks(void **state)
{
    (void)state;
    char *dir = tu_tmpdir();
    kg_store *s = make_store(dir);
    kg_err e;
    kg_export_opts o;
    memset(&o, 0, sizeof o);
    kg_export_format f;
    assert_int_equal(kg_export_format_parse("GraphML", &f, &e), KG_OK);
    assert_int_equal(f, KG_EXPORT_GRAPHML);
    assert_int_equal(kg_export_format_parse("dot", &f, &e), KG_EINVAL);
    assert_non_null(strstr(e.msg, "graphml"));

    /* Memory: too big for the limit names output_path. */
    kg_export_mem m;
    kg_export_sink sink;
    kg_export_mem_sink(&m, 100, &sink);
    o.format = KG_EXPORT_GRAPHML;
    assert_int_equal(kg_export_run(s, &o, &sink, NULL, &e), KG_ETOOBIG);
    assert_non_null(strstr(e.msg, "output_path"));
    kg_export_mem_free(&m);

    /* A stream takes one file only. */
    FILE *null = fopen("/dev/null", "w");
    kg_export_stream stream;
    kg_export_stream_sink(&stream, null, &sink);
    o.format = KG_EXPORT_CSV;
    assert_int_equal(kg_export_run(s, &o, &sink, NULL, &e), KG_EINVAL);
    assert_non_null(strstr(e.msg, "directory"));
    fclose(null);

    /* Disk, under a policy rooted at dir/ok. */
    char *okdir = tu_join(dir, "ok"), *out = tu_join(okdir, "csv");
    assert_int_equal(tu_sh("mkdir -p '%s'", okdir), 0);
    kg_path_policy pol;
    kg_path_policy_init(&pol);
    assert_int_equal(kg_path_policy_add_root(&pol, okdir, &e), KG_OK);
    kg_export_target *t = NULL;
    assert_int_equal(kg_export_target_open(&pol, out, KG_EXPORT_CSV, &t, &e), KG_OK);
    kg_export_target_sink(t, &sink);
    assert_int_equal(kg_export_run(s, &o, &sink, NULL, &e), KG_OK);
    assert_int_equal(kg_export_target_count(t), 3);
    kg_export_target_free(t);
    char *nodes = tu_join(out, "nodes.csv");
    char *text = tu_read(nodes, NULL);
    assert_non_null(text);
    assert_true(strncmp(text, "id,name,type,pagerank", 21) == 0);
    free(text);
    free(nodes);
    /* A directory given to a single-file format gets the default name. */
    assert_int_equal(kg_export_target_open(&pol, okdir, KG_EXPORT_MARKDOWN, &t, &e), KG_OK);
    kg_export_target_sink(t, &sink);
    o.format = KG_EXPORT_MARKDOWN;
    assert_int_equal(kg_export_run(s, &o, &sink, NULL, &e), KG_OK);
    assert_non_null(strstr(kg_export_target_path(t, 0), "/ok/report.md"));
    kg_export_target_free(t);
    /* Outside the roots: refused, nothing written. */
    char *outside = tu_join(dir, "out.json");
    assert_int_not_equal(kg_export_target_open(&pol, outside, KG_EXPORT_JSON, &t, &e), KG_OK);
    assert_null(t);
    assert_int_not_equal(access(outside, F_OK), 0);
    /* A symlink planted at the file name is not followed. */
    char *link = tu_join(okdir, "g.graphml");
    assert_int_equal(symlink(outside, link), 0);
    assert_int_equal(kg_export_target_open(&pol, link, KG_EXPORT_GRAPHML, &t, &e), KG_OK);
    kg_export_target_sink(t, &sink);
    o.format = KG_EXPORT_GRAPHML;
    assert_int_equal(kg_export_run(s, &o, &sink, NULL, &e), KG_EDENIED);
    assert_int_not_equal(access(outside, F_OK), 0);
    kg_export_target_free(t);

    free(link);
    free(outside);
    kg_path_policy_free(&pol);
    free(okdir);
    free(out);
    kg_store_close(s);
    tu_rmrf(dir);
    free(dir);
}

int main(void)
{
    const struct CMUnitTest tests[] = {
        cmocka_unit_test(test_escapes),
        cmocka_unit_test(test_formats),
        cmocka_unit_test(test_sinks),
    };
    return cmocka_run_group_tests(tests, NULL, NULL);
}
