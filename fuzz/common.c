/* common: see common.h. */
#include "common.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include <jansson.h>

#include "base/buf.h"
#include "base/fsafe.h"
#include "base/log.h"
#include "text/load.h"

const char *fz_dir(void)
{
    static char dir[512];
    if (!dir[0]) {
        const char *t = getenv("TMPDIR");
        snprintf(dir, sizeof dir, "%s/kgas-fuzz-XXXXXX", t && *t ? t : "/tmp");
        if (!mkdtemp(dir)) {
            perror("fuzz: mkdtemp");
            abort();
        }
        kg_log_set_level(KG_LOG_OFF);
    }
    return dir;
}

const char *fz_file(const char *name, const uint8_t *data, size_t size)
{
    static char path[1024];
    snprintf(path, sizeof path, "%s/%s", fz_dir(), name);
    FILE *f = fopen(path, "wb");
    if (!f || (size && fwrite(data, 1, size, f) != size) || fclose(f) != 0) {
        perror(path);
        abort();
    }
    return path;
}

char *fz_str(const uint8_t *data, size_t size)
{
    char *s = kg_xmalloc(size + 1);
    if (size)
        memcpy(s, data, size);
    s[size] = '\0';
    return s;
}

typedef struct sink_state {
    int page;
    size_t bytes;
} sink_state;

static int on_text(void *ud, int page, const char *s, size_t len)
{
    sink_state *st = ud;
    if (page < 1 || page < st->page)
        __builtin_trap();
    st->page = page;
    st->bytes += len;
    /* jansson refuses invalid UTF-8: a cheap validity check. */
    json_t *j = json_stringn(s, len);
    if (!j && len)
        __builtin_trap();
    json_decref(j);
    return 0;
}

static int on_section(void *ud, const char *title)
{
    (void)ud;
    if (!title)
        __builtin_trap();
    return 0;
}

const kg_path_policy *fz_policy(void)
{
    static kg_path_policy policy;
    static int ready;
    if (!ready) {
        kg_err e;
        kg_path_policy_init(&policy);
        if (kg_path_policy_add_root(&policy, fz_dir(), &e) != KG_OK)
            abort();
        ready = 1;
    }
    return &policy;
}

void fz_load(const char *name, int kind, const uint8_t *data, size_t size)
{
    const kg_path_policy *policy = fz_policy();
    const char *path = fz_file(name, data, size);
    sink_state st = {0, 0};
    kg_load_sink sink = {on_text, on_section, &st, NULL};
    kg_load_info info;
    memset(&info, 0, sizeof info);
    kg_err e;
    if (kg_load_file(policy, path, (kg_doc_kind)kind, &sink, &info, &e) == KG_OK &&
        info.pages < st.page)
        __builtin_trap(); /* text on a page beyond the count */
    kg_load_info_free(&info);
}
