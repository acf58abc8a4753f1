/* ner_feat: the model's features and the document memory they read.
 *
 * Features of a token (each a 64-bit hash of a template number and a
 * value; ml/linear.h): its lower-cased form, alone and with its
 * capitalisation; its word shape ("Xxx", "X.X", "dd"); prefix of 3 and
 * suffixes of 2-4 bytes; the words two to the left and right and their
 * shapes; the word bigrams and shape bigrams around it; its gazetteer
 * flags and its neighbours'; whether it starts the sentence, with its
 * shape; capitalisation crossed with "is a dictionary word" and "starts a
 * sentence"; where it stands in a run of capitalised words (run length,
 * position); the rules' candidate covering it (type, position in the span,
 * each piece of evidence) and its neighbours' candidates; and the document
 * memory: the types this word was part of earlier in the document (alone,
 * and crossed with its capitalisation, "starts a sentence" and "is a
 * dictionary word"), and whether it was seen in lower case or capitalised
 * mid-sentence before.  With word classes learnt from running text
 * (ml/wclust.h, trained with the model): the word's coarse class crossed
 * with its capitalisation, its fine class alone and crossed with its
 * capitalisation, its neighbours' fine classes, and the left neighbour's
 * coarse class with its own; a word without a class has class 0.
 *
 * Training and tagging call the same function, so a model sees at run time
 * exactly the features it was trained on; NER_FEAT_VERSION is stored in
 * each model and must be bumped when any feature changes. */
#include <stdlib.h>
#include <string.h>

#include "base/buf.h"
#include "ner/ner_internal.h"

enum {
    T_BIAS = 1,
    T_W,
    T_WCAP,
    T_SHAPE,
    T_PRE3,
    T_SUF2,
    T_SUF3,
    T_SUF4,
    T_WM1,
    T_WP1,
    T_WM2,
    T_WP2,
    T_SHM1,
    T_SHP1,
    T_SH_M1_0,
    T_SH_0_P1,
    T_BI_M1,
    T_BI_P1,
    T_GZ,
    T_GZM1,
    T_GZP1,
    T_CAPCLASS,
    T_FIRST,
    T_RULE,
    T_RULEEV,
    T_DOC,
    T_DOCCAP,
    T_DOCLOW,
    T_DOCCAPMID,
    T_TRANS,
    T_DOCCONJ,
    T_RULEM1,
    T_RULEP1,
    T_CAPRUN,
    T_CL1,
    T_CL2,
    T_CL2CAP,
    T_CLM1,
    T_CLP1,
    T_CL_M1_0,
};

#define BOUNDARY_L 0x5f3759df0badc0deULL
#define BOUNDARY_R 0x3c6ef372fe94f82bULL

/* ---- document memory ------------------------------------------------------- */

kg_ner_doc *kg_ner_doc_new(void)
{
    return kg_xcalloc(1, sizeof(kg_ner_doc));
}

void kg_ner_doc_free(kg_ner_doc *d)
{
    if (!d)
        return;
    free(d->keys);
    free(d->bits);
    ner_wcache_free(d->wc);
    free(d);
}

void kg_ner_doc_reset(kg_ner_doc *d)
{
    if (d && d->n) {
        memset(d->keys, 0, d->cap * sizeof *d->keys);
        d->n = 0;
    }
}

static inline uint64_t dkey(uint64_t h)
{
    return h ? h : 1;
}

uint32_t ner_doc_get(const kg_ner_doc *d, uint64_t h)
{
    if (!d || !d->n)
        return 0;
    uint64_t k = dkey(h);
    size_t mask = d->cap - 1, i = (size_t)(k ^ (k >> 31)) & mask;
    while (d->keys[i]) {
        if (d->keys[i] == k)
            return d->bits[i];
        i = (i + 1) & mask;
    }
    return 0;
}

static void doc_grow(kg_ner_doc *d)
{
    size_t ncap = d->cap ? d->cap * 2 : 256, mask = ncap - 1;
    uint64_t *nk = kg_xcalloc(ncap, sizeof *nk);
    uint32_t *nb = kg_xmalloc(ncap * sizeof *nb);
    for (size_t i = 0; i < d->cap; i++) {
        if (!d->keys[i])
            continue;
        size_t j = (size_t)(d->keys[i] ^ (d->keys[i] >> 31)) & mask;
        while (nk[j])
            j = (j + 1) & mask;
        nk[j] = d->keys[i];
        nb[j] = d->bits[i];
    }
    free(d->keys);
    free(d->bits);
    d->keys = nk;
    d->bits = nb;
    d->cap = ncap;
}

void ner_doc_or(kg_ner_doc *d, uint64_t h, uint32_t bits)
{
    uint64_t k = dkey(h);
    if ((d->n + 1) * 2 > d->cap) {
        if (d->n >= NER_DOC_MAX)
            return; /* full: the memory is a hint, not a record */
        doc_grow(d);
    }
    size_t mask = d->cap - 1, i = (size_t)(k ^ (k >> 31)) & mask;
    while (d->keys[i]) {
        if (d->keys[i] == k) {
            d->bits[i] |= bits;
            return;
        }
        i = (i + 1) & mask;
    }
    d->keys[i] = k;
    d->bits[i] = bits;
    d->n++;
}

void ner_doc_words(kg_ner_doc *d, const ner_ctx *c, size_t a, size_t b)
{
    for (size_t i = a; i < b; i++) {
        const ner_tok *t = &c->tok[i];
        if (!(t->shape & NT_WORD) || (t->shape & NT_DIGIT))
            continue;
        if (t->shape & NT_LOWER)
            ner_doc_or(d, t->h, NER_DOC_LOWER);
        else if ((t->shape & NT_CAP) && !(t->shape & (NT_SENT | NT_PARA)) && i > a)
            ner_doc_or(d, t->h, NER_DOC_CAPMID);
    }
}

uint32_t ner_name_verb(const ner_ctx *c, uint32_t a, uint32_t b)
{
    for (uint32_t k = a + 1; k < b; k++) {
        const ner_tok *t = &c->tok[k];
        if (!(t->shape & NT_WORD) || !(t->shape & NT_LOWER) || (t->shape & NT_MIXED) ||
            (t->gz & KG_GZ(NAMEJOIN)) || ner_tok_is(c, k, "of") || ner_tok_is(c, k, "the"))
            continue;
        for (uint32_t q = k + 1; q < b; q++)
            if ((c->tok[q].shape & NT_WORD) && (c->tok[q].shape & NT_CAP))
                return k;
        return 0;
    }
    return 0;
}

void ner_doc_spans(kg_ner_doc *d, const ner_ctx *c, const ner_span *v, size_t n, int person)
{
    for (size_t k = 0; k < n; k++) {
        /* A name of two words or more, one of them not a plain dictionary
         * word ("Ebenezer Scrooge", not "Tree Skeleton"), vouches for its
         * words as a person's; one that is no person's ("Merry Christmas",
         * "Project Gutenberg", see ner_junk.c) does not. */
        size_t words = 0, named = 0;
        for (uint32_t i = v[k].ti; i < v[k].tj; i++) {
            const ner_tok *t = &c->tok[i];
            words += (t->shape & NT_WORD) != 0;
            named += (t->shape & NT_WORD) && (!(t->gz & KG_GZ(COMMON)) || (t->gz & KG_GZ_NAMELIKE));
        }
        /* "Charles Bingley rented Netherfield", read as one name by the
         * model, vouches for no one. */
        int verb = ner_name_verb(c, v[k].ti, v[k].tj) != 0;
        uint32_t bits = 1u << v[k].type;
        if (words >= 2 && named && !verb && (int)v[k].type == person &&
            !ner_time_name(c, v[k].ti, v[k].tj) && !ner_org_led(c, v[k].ti, v[k].tj))
            bits |= NER_DOC_INNAME;
        for (uint32_t i = v[k].ti; i < v[k].tj; i++)
            if (c->tok[i].shape & NT_WORD)
                ner_doc_or(d, c->tok[i].h, bits);
    }
}

/* ---- features ---------------------------------------------------------------- */

uint64_t ner_trans_feature(unsigned g, unsigned prev)
{
    return kg_feat(T_TRANS, ((uint64_t)g << 16) | prev);
}

/* Word shape: letters X/x (u for non-ASCII), digits d, other bytes as they
 * are; a run of one class is written once, or twice when longer than one,
 * at most 12 characters: "Paris" Xxx, "IBM" XX, "U.S" X.X, "1990" dd. */
static uint64_t shape_hash(const ner_ctx *c, const ner_tok *t)
{
    if (t->shape & NT_URL)
        return 0x75726c;
    if (t->shape & NT_MARK)
        return 0x6d61726b;
    char out[12] = {0};
    size_t n = 0;
    char last = 0;
    int run = 0;
    for (uint32_t k = t->s; k < t->e && n < sizeof out; k++) {
        unsigned char ch = (unsigned char)c->text[k];
        char cl;
        if (ch >= 'A' && ch <= 'Z')
            cl = 'X';
        else if (ch >= 'a' && ch <= 'z')
            cl = 'x';
        else if (ch >= '0' && ch <= '9')
            cl = 'd';
        else if (ch >= 0xC0)
            cl = (k == t->s && (t->shape & NT_CAP)) ? 'X' : 'u';
        else if (ch >= 0x80)
            continue;
        else
            cl = (char)ch;
        if (cl == last) {
            if (run++ == 1)
                out[n++] = cl;
        } else {
            out[n++] = cl;
            last = cl;
            run = 1;
        }
    }
    return kg_feat_str(out, n);
}

static unsigned cap_class(const ner_tok *t)
{
    if (!(t->shape & NT_WORD))
        return 4;
    if (t->shape & NT_ALLCAP)
        return 2;
    if (t->shape & NT_MIXED)
        return 3;
    return (t->shape & NT_CAP) ? 1 : 0;
}

/* Hash of the lower-cased bytes [from, to) of token t. */
static uint64_t affix(const ner_ctx *c, const ner_tok *t, uint32_t from, uint32_t to)
{
    (void)t;
    return kg_gz_hash_bytes(KG_GZ_FNV_OFFSET, c->text + from, to - from);
}

typedef struct fout {
    uint64_t *f;
    unsigned n;
} fout;

static inline void put(fout *o, uint32_t tmpl, uint64_t v)
{
    if (o->n < NER_MAXF)
        o->f[o->n++] = kg_feat(tmpl, v);
}

static void put_bits(fout *o, uint32_t tmpl, uint64_t bits, uint64_t extra)
{
    while (bits) {
        unsigned b = (unsigned)__builtin_ctzll(bits);
        bits &= bits - 1;
        put(o, tmpl, b + (extra << 8));
    }
}

/* Word features: the token, its affixes, its capitalisation. */
static void word_feats(fout *o, const ner_ctx *c, const ner_tok *t, uint64_t sh, unsigned cc,
                       int first)
{
    put(o, T_BIAS, 0);
    put(o, T_W, t->h);
    put(o, T_WCAP, t->h ^ (uint64_t)cc);
    put(o, T_SHAPE, sh);
    uint32_t len = t->e - t->s;
    if ((t->shape & NT_WORD) && !(t->shape & NT_URL)) {
        if (len > 3)
            put(o, T_PRE3, affix(c, t, t->s, t->s + 3));
        if (len > 2)
            put(o, T_SUF2, affix(c, t, t->e - 2, t->e));
        if (len > 3)
            put(o, T_SUF3, affix(c, t, t->e - 3, t->e));
        if (len > 4)
            put(o, T_SUF4, affix(c, t, t->e - 4, t->e));
    }
    unsigned common = (t->gz & KG_GZ(COMMON)) != 0, func = (t->gz & KG_GZ(FUNC)) != 0;
    put(o, T_CAPCLASS, cc * 8 + common * 4 + (unsigned)first * 2 + func);
    if (first)
        put(o, T_FIRST, sh);
    put_bits(o, T_GZ, t->gz, 0);
}

/* Length (up to 4) of the run of capitalised words around token i within
 * [a, b), and i's place in it (first, inside, last, alone). */
static uint64_t cap_run(const ner_ctx *c, size_t a, size_t b, size_t i)
{
    const uint32_t capped = NT_CAP | NT_ALLCAP | NT_MIXED;
    size_t s = i, e = i + 1;
    while (s > a && (c->tok[s - 1].shape & NT_WORD) && (c->tok[s - 1].shape & capped))
        s--;
    while (e < b && (c->tok[e].shape & NT_WORD) && (c->tok[e].shape & capped))
        e++;
    size_t len = e - s > 4 ? 4 : e - s;
    unsigned pos = e - s == 1 ? 0 : i == s ? 1 : i + 1 == e ? 3 : 2;
    return len * 4 + pos;
}

/* Word-class features of token k of T, whose classes are in cls. */
static void class_feats(fout *o, const uint32_t *cls, size_t k, size_t T, unsigned cc)
{
    uint32_t me = cls[k], m1 = k >= 1 ? cls[k - 1] : 0xffffffffu;
    put(o, T_CL1, (uint64_t)(me >> 16) << 4 | cc);
    put(o, T_CL2, me & 0xffff);
    put(o, T_CL2CAP, (uint64_t)(me & 0xffff) << 4 | cc);
    put(o, T_CLM1, m1 == 0xffffffffu ? m1 : (m1 & 0xffff));
    put(o, T_CLP1, k + 1 < T ? cls[k + 1] & 0xffff : 0xffffffffu);
    put(o, T_CL_M1_0, (uint64_t)(m1 >> 16) << 20 | (me >> 16));
}

void ner_features(const ner_ctx *c, size_t a, size_t b, const kg_ner_doc *doc, const kg_wclust *cl,
                  uint64_t *f, uint8_t *nf, uint8_t *nw)
{
    const uint64_t gz_nb = ~KG_GZ(COMMON);
    size_t T = b - a;
    /* Shapes once per token: each is read three times. */
    uint64_t sh_inline[256];
    uint64_t *sh = T <= 256 ? sh_inline : kg_xmalloc(T * sizeof *sh);
    for (size_t i = 0; i < T; i++)
        sh[i] = shape_hash(c, &c->tok[a + i]);
    /* And classes (0: none), when the model has them. */
    uint32_t cls_inline[256];
    uint32_t *cls = NULL;
    if (cl && cl->keys) {
        cls = T <= 256 ? cls_inline : kg_xmalloc(T * sizeof *cls);
        for (size_t i = 0; i < T; i++)
            cls[i] = kg_wclust_get(cl, c->tok[a + i].h);
    }
    for (size_t k = 0; k < T; k++) {
        size_t i = a + k;
        const ner_tok *t = &c->tok[i];
        fout o = {f + k * NER_MAXF, 0};
        unsigned cc = cap_class(t);
        int first = k == 0 || (t->shape & (NT_SENT | NT_PARA));
        word_feats(&o, c, t, sh[k], cc, first);
        if (nw)
            nw[k] = (uint8_t)o.n;

        uint64_t wm1 = k >= 1 ? c->tok[i - 1].h : BOUNDARY_L;
        uint64_t wm2 = k >= 2 ? c->tok[i - 2].h : BOUNDARY_L;
        uint64_t wp1 = k + 1 < T ? c->tok[i + 1].h : BOUNDARY_R;
        uint64_t wp2 = k + 2 < T ? c->tok[i + 2].h : BOUNDARY_R;
        uint64_t sm1 = k >= 1 ? sh[k - 1] : BOUNDARY_L;
        uint64_t sp1 = k + 1 < T ? sh[k + 1] : BOUNDARY_R;
        put(&o, T_WM1, wm1);
        put(&o, T_WP1, wp1);
        put(&o, T_WM2, wm2);
        put(&o, T_WP2, wp2);
        put(&o, T_SHM1, sm1);
        put(&o, T_SHP1, sp1);
        put(&o, T_SH_M1_0, sm1 * 31 ^ sh[k]);
        put(&o, T_SH_0_P1, sh[k] * 31 ^ sp1);
        put(&o, T_BI_M1, wm1 * 0x100000001b3ULL ^ t->h);
        put(&o, T_BI_P1, t->h * 0x100000001b3ULL ^ wp1);
        if (cls)
            class_feats(&o, cls, k, T, cc);
        if (k >= 1)
            put_bits(&o, T_GZM1, c->tok[i - 1].gz & gz_nb, 0);
        if (k + 1 < T)
            put_bits(&o, T_GZP1, c->tok[i + 1].gz & gz_nb, 0);

        if (c->rtype[i]) {
            put(&o, T_RULE, (uint64_t)c->rtype[i] * 8 + c->rpos[i]);
            put_bits(&o, T_RULEEV, c->rev[i], c->rtype[i]);
        }
        if (k >= 1 && c->rtype[i - 1])
            put(&o, T_RULEM1, (uint64_t)c->rtype[i - 1] * 8 + c->rpos[i - 1]);
        if (k + 1 < T && c->rtype[i + 1])
            put(&o, T_RULEP1, (uint64_t)c->rtype[i + 1] * 8 + c->rpos[i + 1]);
        if (cc == 1 || cc == 2 || cc == 3)
            put(&o, T_CAPRUN, cap_run(c, a, b, i));
        uint32_t mem = (t->shape & NT_WORD) ? ner_doc_get(doc, t->h) : 0;
        if (mem) {
            uint32_t types = mem & ((1u << NER_MAX_TYPES) - 1);
            put_bits(&o, T_DOC, types, 0);
            put_bits(&o, T_DOCCAP, types, cc);
            put_bits(&o, T_DOCCONJ, types, (uint64_t)first * 2 + ((t->gz & KG_GZ(COMMON)) != 0));
            if ((mem & NER_DOC_LOWER) && cc)
                put(&o, T_DOCLOW, cc + 8u * (unsigned)first);
            if ((mem & NER_DOC_CAPMID) && first)
                put(&o, T_DOCCAPMID, cc);
        }
        nf[k] = (uint8_t)o.n;
    }
    if (sh != sh_inline)
        free(sh);
    if (cls != cls_inline)
        free(cls);
}
