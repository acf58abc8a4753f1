/* conllu: see conllu.h.  The file is read whole and cut in place (tabs and
 * line ends become NULs), so forms and lemmas cost no allocation. */
#include "syntax/conllu.h"

#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "base/fsafe.h"
#include "base/vec.h"
#include "syntax/ptb.h"

typedef struct reader {
    kg_treebank *tb;
    size_t wcap, scap;
    size_t sent_first; /* index in words of the open sentence's first word */
    const char *name;
    long line;
} reader;

static int bad(reader *r, kg_err *err, const char *why)
{
    return kg_err_set(err, KG_EFORMAT, "%s:%ld: %s", r->name, r->line, why);
}

/* Parse a non-negative decimal field; -1 when it is not one. */
static long number(const char *s)
{
    if (!*s)
        return -1;
    long v = 0;
    for (; *s; s++) {
        if (*s < '0' || *s > '9' || v > 100000)
            return -1;
        v = v * 10 + (*s - '0');
    }
    return v;
}

static int end_sentence(reader *r, kg_err *err)
{
    kg_treebank *tb = r->tb;
    size_t n = tb->nwords - r->sent_first;
    if (n == 0)
        return KG_OK;
    for (size_t i = r->sent_first; i < tb->nwords; i++)
        if (tb->words[i].head >= (int)n)
            return bad(r, err, "a head points past the end of its sentence");
    kg_vec_room(tb->sents, tb->nsents, r->scap);
    /* The pointer is set at the end: words may still move. */
    tb->sents[tb->nsents].first = r->sent_first;
    tb->sents[tb->nsents].w = NULL;
    tb->sents[tb->nsents].n = (int)n;
    tb->nsents++;
    r->sent_first = tb->nwords;
    return KG_OK;
}

/* One word line, already cut into ten fields. */
static int word_line(reader *r, char **f, kg_err *err)
{
    if (strchr(f[0], '-') || strchr(f[0], '.'))
        return KG_OK; /* multi-word token or empty node */
    long id = number(f[0]);
    long head = number(f[6]);
    size_t pos = r->tb->nwords - r->sent_first;
    if (id != (long)pos + 1)
        return bad(r, err, "word ids must count 1, 2, 3... within a sentence");
    if (head < 0)
        return bad(r, err, "the head (field 7) is not a number");
    if (pos >= KG_CONLLU_MAX_WORDS)
        return bad(r, err, "sentence too long");
    kg_treebank *tb = r->tb;
    kg_vec_room(tb->words, tb->nwords, r->wcap);
    kg_tb_word *w = &tb->words[tb->nwords++];
    w->form = f[1];
    w->lemma = f[2];
    w->tag = (uint8_t)kg_tag_of(f[4], strlen(f[4]));
    w->dep = (uint8_t)kg_dep_of(f[7], strlen(f[7]));
    w->head = (int16_t)(head - 1);
    if (head == 0)
        w->dep = KG_D_ROOT;
    return KG_OK;
}

static int one_line(reader *r, char *line, kg_err *err)
{
    size_t len = strlen(line);
    if (len && line[len - 1] == '\r')
        line[--len] = 0;
    if (len == 0)
        return end_sentence(r, err);
    if (line[0] == '#')
        return KG_OK;
    char *f[10];
    int nf = 0;
    char *p = line;
    while (nf < 10) {
        f[nf++] = p;
        char *tab = strchr(p, '\t');
        if (!tab)
            break;
        *tab = 0;
        p = tab + 1;
    }
    if (nf != 10 || strchr(f[9], '\t'))
        return bad(r, err, "expected 10 tab-separated fields");
    return word_line(r, f, err);
}

int kg_conllu_parse(const char *data, size_t len, const char *name, kg_treebank **out, kg_err *err)
{
    *out = NULL;
    kg_treebank *tb = kg_xcalloc(1, sizeof *tb);
    tb->data = kg_xmalloc(len + 1);
    memcpy(tb->data, data, len);
    tb->data[len] = 0;
    reader r = {.tb = tb, .name = name ? name : "(conllu)"};
    char *p = tb->data, *end = tb->data + len;
    int rc = KG_OK;
    while (p < end && !rc) {
        char *nl = memchr(p, '\n', (size_t)(end - p));
        if (!nl)
            nl = end;
        *nl = 0;
        r.line++;
        if (memchr(p, 0, (size_t)(nl - p)))
            rc = bad(&r, err, "a NUL byte inside the line");
        else
            rc = one_line(&r, p, err);
        p = nl + 1;
    }
    if (!rc)
        rc = end_sentence(&r, err);
    if (rc) {
        kg_treebank_free(tb);
        return rc;
    }
    for (size_t i = 0; i < tb->nsents; i++)
        tb->sents[i].w = tb->words + tb->sents[i].first;
    *out = tb;
    return KG_OK;
}

int kg_conllu_read(const char *path, kg_treebank **out, kg_err *err)
{
    char *data = NULL;
    size_t len = 0;
    *out = NULL;
    int rc = kg_file_read_all(NULL, path, &data, &len, err);
    if (rc)
        return rc;
    rc = kg_conllu_parse(data, len, path, out, err);
    free(data);
    return rc;
}

void kg_treebank_free(kg_treebank *tb)
{
    if (!tb)
        return;
    free(tb->sents);
    free(tb->words);
    free(tb->data);
    free(tb);
}
