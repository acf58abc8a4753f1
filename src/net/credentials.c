/* credentials: see credentials.h.
 *
 * A key set is an array of sodium_malloc'd strings; replacing the set wipes
 * and frees every string in it.  Raw source text (a file line, a command's
 * output) is read into guarded memory too and wiped as soon as it is split. */
#include "net/credentials.h"

#include <errno.h>
#include <fcntl.h>
#include <poll.h>
#include <signal.h>
#include <sodium.h>
#include <spawn.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <unistd.h>

#include "base/buf.h"
#include "base/log.h"

extern char **environ;

#define MAX_KEYS 16
#define RAW_MAX 8192
#define MAX_RETIRED 64

typedef struct keyset {
    char *key[MAX_KEYS]; /* sodium_malloc'd, NUL-terminated */
    size_t n;
    char origin[600];
} keyset;

struct kg_credentials {
    const kg_config *cfg;
    char service[32];
    keyset ks;
    size_t cur;
    int reloaded_since_accept;
    size_t wiped;
    /* Hashes of retired keys, so a reload cannot bring one back. */
    unsigned char retired[MAX_RETIRED][crypto_generichash_BYTES];
    size_t nretired;
    int busy; /* an async reload is running */
};

const char *kg_credentials_check(const char *key, size_t len)
{
    if (len == 0)
        return "it is empty";
    if (len < 8)
        return "it has fewer than 8 characters";
    if (len > 512)
        return "it has more than 512 characters";
    for (size_t i = 0; i < len; i++) {
        unsigned char ch = (unsigned char)key[i];
        if (ch == ' ' || ch == '\t')
            return "it contains a space";
        if (ch < 0x21 || ch > 0x7e)
            return "it contains a character that is not printable ASCII";
    }
    return NULL;
}

static size_t wipe_set(keyset *ks)
{
    size_t n = 0;
    for (size_t i = 0; i < ks->n; i++)
        if (ks->key[i]) {
            sodium_memzero(ks->key[i], strlen(ks->key[i]));
            sodium_free(ks->key[i]);
            ks->key[i] = NULL;
            n++;
        }
    ks->n = 0;
    return n;
}

static void hash_key(const char *k, unsigned char out[crypto_generichash_BYTES])
{
    crypto_generichash(out, crypto_generichash_BYTES, (const unsigned char *)k, strlen(k), NULL, 0);
}

static int is_retired(const kg_credentials *c, const char *k)
{
    unsigned char h[crypto_generichash_BYTES];
    hash_key(k, h);
    for (size_t i = 0; i < c->nretired; i++)
        if (sodium_memcmp(h, c->retired[i], sizeof h) == 0)
            return 1;
    return 0;
}

/* Split raw (comma-separated keys, surrounding blanks allowed) into ks,
 * checking each.  raw is guarded memory owned by the caller. */
static int split_keys(const kg_credentials *c, const char *raw, keyset *ks, kg_err *err)
{
    size_t total = 0;
    const char *p = raw;
    while (p && *p) {
        const char *comma = strchr(p, ',');
        const char *end = comma ? comma : p + strlen(p);
        const char *a = p;
        while (a < end && (*a == ' ' || *a == '\t'))
            a++;
        const char *b = end;
        while (b > a && (b[-1] == ' ' || b[-1] == '\t' || b[-1] == '\r'))
            b--;
        size_t len = (size_t)(b - a);
        p = comma ? comma + 1 : NULL;
        if (a == b && !comma && total > 0)
            break; /* a trailing comma */
        total++;
        const char *why = kg_credentials_check(a, len);
        if (why) {
            wipe_set(ks);
            return kg_err_set(err, KG_EINVAL,
                              "%s: key %zu is not well-formed: %s (a key is 8..512 printable "
                              "ASCII characters without spaces)",
                              ks->origin, total, why);
        }
        if (ks->n == MAX_KEYS) {
            wipe_set(ks);
            return kg_err_set(err, KG_EINVAL, "%s: more than %d keys", ks->origin, MAX_KEYS);
        }
        char *k = sodium_malloc(len + 1);
        if (!k) {
            wipe_set(ks);
            return kg_err_set(err, KG_ENOMEM, "%s: cannot allocate guarded memory for a key",
                              ks->origin);
        }
        memcpy(k, a, len);
        k[len] = '\0';
        kg_redact_register(k);
        if (is_retired(c, k)) {
            sodium_memzero(k, len);
            sodium_free(k);
            continue;
        }
        ks->key[ks->n++] = k;
    }
    return KG_OK;
}

/* First line of a file into raw (guarded, RAW_MAX). */
static int read_key_file(const char *path, char *raw, const char *origin, kg_err *err)
{
    FILE *f = fopen(path, "r");
    if (!f)
        return kg_err_set(err, KG_EIO, "%s: cannot read: %s", origin, strerror(errno));
    /* No stdio buffer: it would keep a copy of the key in ordinary memory. */
    setvbuf(f, NULL, _IONBF, 0);
    raw[0] = '\0';
    char *ok = fgets(raw, RAW_MAX, f);
    fclose(f);
    if (!ok)
        raw[0] = '\0';
    raw[strcspn(raw, "\r\n")] = '\0';
    kg_redact_register(raw);
    return KG_OK;
}

/* Run cmd with /bin/sh -c; the first line of its stdout into raw.  The
 * command's stderr goes to /dev/null: tools that print keys there would
 * otherwise put them on our terminal. */
static int run_key_command(const char *cmd, char *raw, const char *origin, kg_err *err)
{
    int fds[2];
    if (pipe(fds) != 0)
        return kg_err_set(err, KG_EIO, "%s: pipe: %s", origin, strerror(errno));
    posix_spawn_file_actions_t fa;
    posix_spawn_file_actions_init(&fa);
    posix_spawn_file_actions_addclose(&fa, fds[0]);
    posix_spawn_file_actions_adddup2(&fa, fds[1], 1);
    posix_spawn_file_actions_addclose(&fa, fds[1]);
    posix_spawn_file_actions_addopen(&fa, 0, "/dev/null", O_RDONLY, 0);
    posix_spawn_file_actions_addopen(&fa, 2, "/dev/null", O_WRONLY, 0);
    char *argv[] = {"sh", "-c", (char *)cmd, NULL};
    pid_t pid;
    int rc = posix_spawn(&pid, "/bin/sh", &fa, NULL, argv, environ);
    posix_spawn_file_actions_destroy(&fa);
    close(fds[1]);
    if (rc != 0) {
        close(fds[0]);
        return kg_err_set(err, KG_EIO, "%s: cannot start /bin/sh: %s", origin, strerror(rc));
    }
    size_t len = 0;
    int timed_out = 0;
    uint64_t deadline = uv_hrtime() / 1000000 + KG_KEY_COMMAND_TIMEOUT_MS;
    for (;;) {
        uint64_t now = uv_hrtime() / 1000000;
        if (now >= deadline) {
            timed_out = 1;
            break;
        }
        struct pollfd pfd = {fds[0], POLLIN, 0};
        int pr = poll(&pfd, 1, (int)(deadline - now));
        if (pr < 0 && errno == EINTR)
            continue;
        if (pr <= 0) {
            timed_out = pr == 0;
            break;
        }
        if (len + 1 >= RAW_MAX)
            break;
        ssize_t r = read(fds[0], raw + len, RAW_MAX - 1 - len);
        if (r < 0 && errno == EINTR)
            continue;
        if (r <= 0)
            break;
        len += (size_t)r;
        if (memchr(raw, '\n', len))
            break; /* the first line is all we want */
    }
    raw[len] = '\0';
    close(fds[0]);
    if (timed_out)
        kill(pid, SIGKILL);
    int st = 0;
    while (waitpid(pid, &st, 0) < 0 && errno == EINTR)
        ;
    raw[strcspn(raw, "\r\n")] = '\0';
    kg_redact_register(raw);
    if (timed_out)
        return kg_err_set(err, KG_EIO, "%s: did not answer within %d s", origin,
                          KG_KEY_COMMAND_TIMEOUT_MS / 1000);
    /* A command killed by SIGPIPE after printing its first line is fine. */
    if (WIFEXITED(st) && WEXITSTATUS(st) != 0)
        return kg_err_set(err, KG_EIO, "%s: exited with status %d", origin, WEXITSTATUS(st));
    if (WIFSIGNALED(st) && WTERMSIG(st) != SIGPIPE)
        return kg_err_set(err, KG_EIO, "%s: killed by signal %d", origin, WTERMSIG(st));
    return KG_OK;
}

/* Read the first source that is set into ks (blocking). */
static int read_sources(const kg_credentials *c, keyset *ks, kg_err *err)
{
    char name[64];
    const char *svc = c->service;
    memset(ks, 0, sizeof *ks);
    char *raw = sodium_malloc(RAW_MAX);
    if (!raw)
        return kg_err_set(err, KG_ENOMEM, "cannot allocate guarded memory for keys");
    raw[0] = '\0';
    int rc = KG_OK;
    const char *v;
    snprintf(name, sizeof name, "%s.api_key", svc);
    if ((v = kg_config_str(c->cfg, name)) && *v) {
        snprintf(ks->origin, sizeof ks->origin, "%s (from %s)", name,
                 kg_config_origin_of(c->cfg, name));
        snprintf(raw, RAW_MAX, "%s", v);
        goto split;
    }
    snprintf(name, sizeof name, "%s.key_file", svc);
    if ((v = kg_config_str(c->cfg, name)) && *v) {
        snprintf(ks->origin, sizeof ks->origin, "%s (%s, from %s)", name, v,
                 kg_config_origin_of(c->cfg, name));
        rc = read_key_file(v, raw, ks->origin, err);
        if (rc == KG_OK && !raw[0])
            rc = kg_err_set(err, KG_EINVAL, "%s: the first line is empty", ks->origin);
        if (rc)
            goto out;
        goto split;
    }
    snprintf(name, sizeof name, "%s.key_command", svc);
    if ((v = kg_config_str(c->cfg, name)) && *v) {
        snprintf(ks->origin, sizeof ks->origin, "%s (from %s)", name,
                 kg_config_origin_of(c->cfg, name));
        rc = run_key_command(v, raw, ks->origin, err);
        if (rc == KG_OK && !raw[0])
            rc = kg_err_set(err, KG_EINVAL, "%s: printed no key", ks->origin);
        if (rc)
            goto out;
        goto split;
    }
    if ((v = getenv("OPENAI_API_KEY")) && *v) {
        snprintf(ks->origin, sizeof ks->origin, "OPENAI_API_KEY (environment)");
        snprintf(raw, RAW_MAX, "%s", v);
        kg_redact_register(raw);
        goto split;
    }
    goto out; /* no source: no key */
split:
    rc = split_keys(c, raw, ks, err);
out:
    sodium_memzero(raw, RAW_MAX);
    sodium_free(raw);
    return rc;
}

int kg_credentials_open(const kg_config *cfg, const char *service, kg_credentials **out,
                        kg_err *err)
{
    *out = NULL;
    if (sodium_init() < 0)
        return kg_err_set(err, KG_ENOMEM, "cannot initialise libsodium");
    kg_credentials *c = kg_xcalloc(1, sizeof *c);
    c->cfg = cfg;
    snprintf(c->service, sizeof c->service, "%s", service);
    int rc = read_sources(c, &c->ks, err);
    if (rc) {
        free(c);
        return rc;
    }
    *out = c;
    return KG_OK;
}

void kg_credentials_free(kg_credentials *c)
{
    if (!c)
        return;
    wipe_set(&c->ks);
    free(c);
}

const char *kg_credentials_key(const kg_credentials *c)
{
    return c && c->cur < c->ks.n ? c->ks.key[c->cur] : NULL;
}

const char *kg_credentials_origin(const kg_credentials *c)
{
    return c ? c->ks.origin : "";
}

size_t kg_credentials_available(const kg_credentials *c)
{
    return c && c->cur < c->ks.n ? c->ks.n - c->cur : 0;
}

int kg_credentials_retire(kg_credentials *c)
{
    if (c->cur >= c->ks.n)
        return 0;
    char *k = c->ks.key[c->cur];
    if (c->nretired < MAX_RETIRED)
        hash_key(k, c->retired[c->nretired++]);
    /* It stays registered with the redactor: a rejected key is still a key. */
    sodium_memzero(k, strlen(k));
    sodium_free(k);
    c->ks.key[c->cur] = NULL;
    c->wiped++;
    c->cur++;
    return c->cur < c->ks.n;
}

int kg_credentials_may_reload(kg_credentials *c)
{
    return !c->reloaded_since_accept;
}

void kg_credentials_accepted(kg_credentials *c)
{
    c->reloaded_since_accept = 0;
}

static void install(kg_credentials *c, keyset *fresh)
{
    /* Compact out the retired slots before wiping the rest. */
    c->wiped += wipe_set(&c->ks);
    c->ks = *fresh;
    memset(fresh, 0, sizeof *fresh);
    c->cur = 0;
}

int kg_credentials_reload(kg_credentials *c, kg_err *err)
{
    keyset fresh;
    int rc = read_sources(c, &fresh, err);
    c->reloaded_since_accept = 1;
    if (rc)
        return rc;
    install(c, &fresh);
    return KG_OK;
}

typedef struct reload_job {
    uv_work_t work;
    kg_credentials *c;
    keyset fresh;
    int rc;
    kg_err err;
    kg_credentials_cb cb;
    void *ud;
} reload_job;

static void reload_work(uv_work_t *w)
{
    reload_job *j = w->data;
    j->rc = read_sources(j->c, &j->fresh, &j->err);
}

static void reload_done(uv_work_t *w, int status)
{
    reload_job *j = w->data;
    kg_credentials *c = j->c;
    c->busy = 0;
    c->reloaded_since_accept = 1;
    if (status == UV_ECANCELED && j->rc == KG_OK)
        j->rc = kg_err_set(&j->err, KG_ECANCELED, "key reload cancelled");
    if (j->rc == KG_OK)
        install(c, &j->fresh);
    else
        wipe_set(&j->fresh);
    j->cb(j->rc, &j->err, j->ud);
    free(j);
}

int kg_credentials_reload_async(kg_credentials *c, uv_loop_t *loop, kg_credentials_cb cb, void *ud)
{
    if (c->busy)
        return KG_EBUSY;
    reload_job *j = kg_xcalloc(1, sizeof *j);
    j->c = c;
    j->cb = cb;
    j->ud = ud;
    j->work.data = j;
    kg_err_clear(&j->err);
    c->busy = 1;
    int rc = uv_queue_work(loop, &j->work, reload_work, reload_done);
    if (rc != 0) {
        c->busy = 0;
        free(j);
        return KG_EIO;
    }
    return KG_OK;
}

size_t kg_credentials_wiped(const kg_credentials *c)
{
    return c->wiped;
}
