/* export_formats: the graphml, neo4j, cypher, latex, bibtex and markdown
 * formats of export.h, each writing through the buffered writer of
 * export_internal.h.  Per-row state lives on the stack or in small buffers
 * that are reused; nothing grows with the graph. */
#include <ctype.h>
#include <stdlib.h>
#include <string.h>

#include "export/export_escape.h"
#include "export/export_internal.h"
#include "store/graph_store.h"

static int keep(kg_export_out *o, int rc)
{
    if (rc && !o->rc)
        o->rc = rc;
    return o->rc;
}

/* ---- graphml ---------------------------------------------------------- */

static void xml_data(kg_buf *b, const char *key, const char *text)
{
    kg_buf_printf(b, "<data key=\"%s\">", key);
    kg_export_xml(b, text);
    kg_buf_puts(b, "</data>");
}

static int graphml_node(void *ud, const kg_export_node *n)
{
    kg_export_out *o = ud;
    kg_buf *b = &o->buf;
    kg_buf_puts(b, "    <node id=\"");
    kg_export_xml(b, n->id);
    kg_buf_puts(b, "\">");
    xml_data(b, "label", n->name);
    xml_data(b, "name", n->name);
    xml_data(b, "type", n->type);
    kg_buf_printf(b,
                  "<data key=\"pagerank\">%.17g</data><data key=\"rank\">%lld</data>"
                  "<data key=\"mentions\">%lld</data></node>\n",
                  n->pagerank, (long long)n->rank, (long long)n->mentions);
    o->stats->nodes++;
    return kg_export_out_row(o);
}

static int graphml_edge(void *ud, const kg_export_edge *e)
{
    kg_export_out *o = ud;
    kg_buf *b = &o->buf;
    kg_buf_puts(b, "    <edge id=\"");
    kg_export_xml(b, e->id);
    if (e->reversed)
        kg_buf_puts(b, "~rev");
    kg_buf_puts(b, "\" source=\"");
    kg_export_xml(b, e->source);
    kg_buf_puts(b, "\" target=\"");
    kg_export_xml(b, e->target);
    kg_buf_puts(b, "\">");
    xml_data(b, "etype", e->type);
    kg_buf_printf(b,
                  "<data key=\"weight\">%.17g</data><data key=\"confidence\">%.17g</data>"
                  "<data key=\"support\">%lld</data>",
                  e->weight, e->confidence, (long long)e->support);
    xml_data(b, "method", e->method);
    kg_buf_printf(b, "<data key=\"reversed\">%s</data></edge>\n", e->reversed ? "true" : "false");
    o->stats->edges++;
    return kg_export_out_row(o);
}

int kg_export_graphml(kg_export_out *o)
{
    const kg_export_filter *f = &o->opts->filter;
    if (kg_export_out_open(o, kg_export_default_file(KG_EXPORT_GRAPHML)))
        return o->rc;
    /* Key ids are the attribute names, which Gephi and Cytoscape show as
     * they are; "label" is what Gephi uses for a node's caption. */
    kg_buf_puts(&o->buf,
                "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
                "<graphml xmlns=\"http://graphml.graphdrawing.org/xmlns\"\n"
                "    xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"\n"
                "    xsi:schemaLocation=\"http://graphml.graphdrawing.org/xmlns "
                "http://graphml.graphdrawing.org/xmlns/1.0/graphml.xsd\">\n"
                "  <key id=\"label\" for=\"node\" attr.name=\"label\" attr.type=\"string\"/>\n"
                "  <key id=\"name\" for=\"node\" attr.name=\"name\" attr.type=\"string\"/>\n"
                "  <key id=\"type\" for=\"node\" attr.name=\"type\" attr.type=\"string\"/>\n"
                "  <key id=\"pagerank\" for=\"node\" attr.name=\"pagerank\" "
                "attr.type=\"double\"/>\n"
                "  <key id=\"rank\" for=\"node\" attr.name=\"rank\" attr.type=\"long\"/>\n"
                "  <key id=\"mentions\" for=\"node\" attr.name=\"mentions\" "
                "attr.type=\"long\"/>\n"
                "  <key id=\"etype\" for=\"edge\" attr.name=\"type\" attr.type=\"string\"/>\n"
                "  <key id=\"weight\" for=\"edge\" attr.name=\"weight\" attr.type=\"double\"/>\n"
                "  <key id=\"confidence\" for=\"edge\" attr.name=\"confidence\" "
                "attr.type=\"double\"/>\n"
                "  <key id=\"support\" for=\"edge\" attr.name=\"support\" attr.type=\"long\"/>\n"
                "  <key id=\"method\" for=\"edge\" attr.name=\"method\" attr.type=\"string\"/>\n"
                "  <key id=\"reversed\" for=\"edge\" attr.name=\"reversed\" "
                "attr.type=\"boolean\"/>\n"
                "  <graph id=\"kgas\" edgedefault=\"directed\">\n");
    keep(o, kg_store_export_nodes(o->store, f, graphml_node, o, o->err));
    /* RELATED_TO has no direction: it is written as two directed edges
     * (the second marked reversed).  A typed relation is written once, as
     * stored; how PageRank reads each (docs/exports.md) follows from its
     * type and method, both in the file. */
    keep(o, kg_store_export_edges(o->store, f, KG_EXPORT_BOTH_WAYS, 0, graphml_edge, o, o->err));
    kg_buf_puts(&o->buf, "  </graph>\n</graphml>\n");
    return kg_export_out_close(o);
}

/* ---- neo4j-admin import CSV ------------------------------------------- */

/* A label or relationship type usable bare: letters, digits, underscore,
 * not starting with a digit.  Anything else is left out of labels. */
static int is_ident(const char *s)
{
    if (!*s || isdigit((unsigned char)*s))
        return 0;
    for (; *s; s++)
        if (!isalnum((unsigned char)*s) && *s != '_')
            return 0;
    return 1;
}

static int neo4j_node(void *ud, const kg_export_node *n)
{
    kg_export_out *o = ud;
    kg_buf *b = &o->buf;
    kg_export_csv(b, n->id);
    kg_buf_putc(b, ',');
    kg_export_csv(b, n->name);
    kg_buf_putc(b, ',');
    kg_export_csv(b, n->type);
    kg_buf_puts(b, is_ident(n->type) ? ",Entity;" : ",Entity");
    if (is_ident(n->type))
        kg_buf_puts(b, n->type);
    kg_buf_printf(b, ",%.17g,%lld,%lld,%.17g,", n->pagerank, (long long)n->rank,
                  (long long)n->mentions, n->confidence);
    kg_export_csv(b, n->aliases);
    kg_buf_puts(b, "\n");
    o->stats->nodes++;
    return kg_export_out_row(o);
}

static int neo4j_edge(void *ud, const kg_export_edge *e)
{
    kg_export_out *o = ud;
    kg_buf *b = &o->buf;
    kg_export_csv(b, e->source);
    kg_buf_putc(b, ',');
    kg_export_csv(b, e->target);
    kg_buf_putc(b, ',');
    kg_export_csv(b, is_ident(e->type) ? e->type : "RELATED_TO");
    kg_buf_putc(b, ',');
    kg_export_csv(b, e->id);
    kg_buf_printf(b, ",%.17g,%.17g,%lld,", e->weight, e->confidence, (long long)e->support);
    kg_export_csv(b, e->method);
    kg_buf_putc(b, ',');
    kg_export_csv(b, e->type);
    kg_buf_puts(b, "\n");
    o->stats->edges++;
    return kg_export_out_row(o);
}

int kg_export_neo4j(kg_export_out *o)
{
    const kg_export_filter *f = &o->opts->filter;
    if (kg_export_out_open(o, "nodes.csv"))
        return o->rc;
    kg_buf_puts(&o->buf, "id:ID,name,type,:LABEL,pagerank:double,rank:long,mentions:long,"
                         "confidence:double,aliases\n");
    keep(o, kg_store_export_nodes(o->store, f, neo4j_node, o, o->err));
    if (kg_export_out_close(o) || kg_export_out_open(o, "relationships.csv"))
        return o->rc;
    /* Relationships are stored once; Neo4j matches them in either direction
     * with ()-[]-(), so RELATED_TO is not doubled here. */
    kg_buf_puts(&o->buf, ":START_ID,:END_ID,:TYPE,id,weight:double,confidence:double,"
                         "support:long,method,kgas_type\n");
    keep(o, kg_store_export_edges(o->store, f, 0, 0, neo4j_edge, o, o->err));
    return kg_export_out_close(o);
}

/* ---- cypher ----------------------------------------------------------- */

#define CYPHER_BATCH 500

/* Rows of one UNWIND batch collect in `rows`; the statement that consumes
 * them is fixed text, except for a relationship type, which Cypher cannot
 * take as a parameter: it is written only when it is a plain identifier
 * (in backticks), never as data copied into the query. */
typedef struct cy_state {
    kg_export_out *o;
    kg_buf rows;
    int n;
    char type[64];
} cy_state;

static void cy_flush(cy_state *c, int edges)
{
    if (!c->n)
        return;
    kg_buf *b = &c->o->buf;
    kg_buf_puts(b, ":param rows => [");
    kg_buf_append(b, c->rows.data, c->rows.len);
    kg_buf_puts(b, "]\n");
    if (edges)
        kg_buf_printf(b,
                      "UNWIND $rows AS r MATCH (a:Entity {id: r.src}) MATCH (b:Entity {id: "
                      "r.dst}) MERGE (a)-[e:`%s` {id: r.id}]->(b) SET e += r.props;\n",
                      c->type);
    else
        kg_buf_puts(b, "UNWIND $rows AS r MERGE (n:Entity {id: r.id}) SET n += r.props;\n");
    kg_buf_truncate(&c->rows, 0);
    c->n = 0;
}

static int cy_node(void *ud, const kg_export_node *n)
{
    cy_state *c = ud;
    kg_buf *b = &c->rows;
    kg_buf_puts(b, c->n ? ", {id: " : "{id: ");
    kg_export_json(b, n->id);
    kg_buf_puts(b, ", props: {name: ");
    kg_export_json(b, n->name);
    kg_buf_puts(b, ", type: ");
    kg_export_json(b, n->type);
    kg_buf_printf(b, ", pagerank: %.17g, rank: %lld, mentions: %lld, confidence: %.17g}}",
                  n->pagerank, (long long)n->rank, (long long)n->mentions, n->confidence);
    c->o->stats->nodes++;
    if (++c->n == CYPHER_BATCH)
        cy_flush(c, 0);
    return kg_export_out_row(c->o);
}

static int cy_edge(void *ud, const kg_export_edge *e)
{
    cy_state *c = ud;
    const char *type = is_ident(e->type) && strlen(e->type) < sizeof c->type ? e->type
                                                                             : "RELATED_TO";
    if (strcmp(type, c->type) != 0) {
        cy_flush(c, 1);
        snprintf(c->type, sizeof c->type, "%s", type);
    }
    kg_buf *b = &c->rows;
    kg_buf_puts(b, c->n ? ", {id: " : "{id: ");
    kg_export_json(b, e->id);
    kg_buf_puts(b, ", src: ");
    kg_export_json(b, e->source);
    kg_buf_puts(b, ", dst: ");
    kg_export_json(b, e->target);
    kg_buf_printf(b,
                  ", props: {weight: %.17g, confidence: %.17g, support: %lld, method: ", e->weight,
                  e->confidence, (long long)e->support);
    kg_export_json(b, e->method);
    kg_buf_puts(b, ", type: ");
    kg_export_json(b, e->type);
    kg_buf_puts(b, "}}");
    c->o->stats->edges++;
    if (++c->n == CYPHER_BATCH)
        cy_flush(c, 1);
    return kg_export_out_row(c->o);
}

int kg_export_cypher(kg_export_out *o)
{
    const kg_export_filter *f = &o->opts->filter;
    if (kg_export_out_open(o, kg_export_default_file(KG_EXPORT_CYPHER)))
        return o->rc;
    kg_buf_puts(&o->buf,
                "// kgas knowledge graph. Run with: cypher-shell -f graph.cypher\n"
                "// Values travel only as parameters (:param rows => [...]); each batch is\n"
                "// loaded by a fixed UNWIND statement.\n"
                "CREATE CONSTRAINT kgas_entity_id IF NOT EXISTS FOR (n:Entity) REQUIRE n.id "
                "IS UNIQUE;\n");
    cy_state c = {.o = o};
    keep(o, kg_store_export_nodes(o->store, f, cy_node, &c, o->err));
    cy_flush(&c, 0);
    c.type[0] = '\0';
    keep(o, kg_store_export_edges(o->store, f, KG_EXPORT_BY_TYPE, 0, cy_edge, &c, o->err));
    cy_flush(&c, 1);
    kg_buf_puts(&o->buf, ":param rows => []\n");
    kg_buf_free(&c.rows);
    return kg_export_out_close(o);
}
