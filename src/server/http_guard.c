/* http_guard: see http_guard.h. */
#include "server/http_guard.h"

#include <arpa/inet.h>
#include <sodium.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>

int kg_http_token_ok(const char *token, const char *a)
{
    if (!token)
        return 1;
    if (!a || strncasecmp(a, "Bearer ", 7) != 0)
        return 0;
    a += 7;
    size_t n = strlen(token);
    return strlen(a) == n && sodium_memcmp(a, token, n) == 0;
}

/* Does the comma-separated list hold item (n bytes), compared without case?
 * An entry without a port (no ':' after any "]") matches item up to its own
 * port when port_free is set. */
static int listed(const char *list, const char *item, size_t n, int port_free)
{
    const char *q = list;
    while (q && *q) {
        const char *e = strchr(q, ',');
        size_t len = e ? (size_t)(e - q) : strlen(q);
        while (len && (*q == ' ' || *q == '\t')) {
            q++;
            len--;
        }
        while (len && (q[len - 1] == ' ' || q[len - 1] == '\t'))
            len--;
        if (len && len <= n && strncasecmp(q, item, len) == 0 &&
            (len == n || (port_free && item[len] == ':' && !memchr(q, ':', len))))
            return 1;
        q = e ? e + 1 : NULL;
    }
    return 0;
}

int kg_http_origin_ok(const char *origins, const char *origin)
{
    if (!origin)
        return 1; /* not a browser: DNS rebinding needs one */
    const char *p = strstr(origin, "://");
    if (!p)
        return 0;
    p += 3;
    const char *local[] = {"localhost", "127.0.0.1", "[::1]"};
    for (size_t i = 0; i < 3; i++) {
        size_t n = strlen(local[i]);
        if (strncmp(p, local[i], n) == 0 && (p[n] == '\0' || p[n] == ':'))
            return 1;
    }
    return listed(origins, origin, strlen(origin), 0);
}

int kg_http_host_ok(const char *hosts, const char *host)
{
    if (!host)
        return 1;
    size_t n = strlen(host);
    /* The name without its port. */
    size_t name = n;
    if (host[0] == '[') {
        const char *rb = strchr(host, ']');
        if (!rb || (rb[1] && rb[1] != ':'))
            return 0;
        name = (size_t)(rb - host) + 1;
    } else {
        const char *colon = strchr(host, ':');
        if (colon)
            name = (size_t)(colon - host);
    }
    if (name < n) { /* ":port": digits only */
        if (name + 1 == n)
            return 0;
        for (size_t i = name + 1; i < n; i++)
            if (host[i] < '0' || host[i] > '9')
                return 0;
    }
    char nm[64];
    if (name < sizeof nm) {
        memcpy(nm, host, name);
        nm[name] = '\0';
        struct in_addr a4;
        if (strcasecmp(nm, "localhost") == 0 || strcmp(nm, "[::1]") == 0 ||
            (inet_pton(AF_INET, nm, &a4) == 1 && (ntohl(a4.s_addr) >> 24) == 127))
            return 1;
    }
    return listed(hosts, host, n, 1);
}

/* The q of one media range's parameters (";q=0.5;level=1"); 1 by default. */
static double range_q(const char *p, const char *end)
{
    for (;;) {
        const char *semi = memchr(p, ';', (size_t)(end - p));
        if (!semi)
            return 1.0;
        p = semi + 1;
        p += strspn(p, " \t"); /* end is a ',' or the NUL: never passed */
        size_t left = p < end ? (size_t)(end - p) : 0;
        if (left < 2 || (p[0] != 'q' && p[0] != 'Q') || p[1] != '=')
            continue;
        char num[16];
        size_t k = 0;
        for (p += 2; p < end && k + 1 < sizeof num && *p != ';' && *p != ' '; p++)
            num[k++] = *p;
        num[k] = '\0';
        char *e;
        double q = strtod(num, &e);
        return e == num ? 1.0 : q;
    }
}

int kg_http_accepts(const char *accept, const char *type)
{
    if (!accept)
        return 1;
    const char *slash = strchr(type, '/');
    size_t tlen = slash ? (size_t)(slash - type) : strlen(type);
    int best = 0;
    double q = 0;
    const char *p = accept;
    while (*p) {
        const char *end = strchr(p, ',');
        if (!end)
            end = p + strlen(p);
        while (p < end && (*p == ' ' || *p == '\t'))
            p++;
        const char *mend = p;
        while (mend < end && *mend != ';' && *mend != ' ' && *mend != '\t')
            mend++;
        size_t mlen = (size_t)(mend - p);
        int spec = 0;
        if (mlen == strlen(type) && strncasecmp(p, type, mlen) == 0)
            spec = 3;
        else if (mlen == tlen + 2 && strncasecmp(p, type, tlen) == 0 && p[tlen] == '/' &&
                 p[tlen + 1] == '*')
            spec = 2;
        else if (mlen == 3 && memcmp(p, "*/*", 3) == 0)
            spec = 1;
        if (spec > best) {
            best = spec;
            q = range_q(mend, end);
        }
        p = *end ? end + 1 : end;
    }
    return best > 0 && q > 0;
}

int kg_http_is_json(const char *ct)
{
    if (!ct)
        return 0;
    while (*ct == ' ')
        ct++;
    size_t n = strlen("application/json");
    if (strncasecmp(ct, "application/json", n) != 0)
        return 0;
    ct += n;
    while (*ct == ' ' || *ct == '\t')
        ct++;
    return *ct == '\0' || *ct == ';';
}

/* "HOST:PORT", "[v6]:PORT"; localhost means 127.0.0.1. */
int kg_http_parse_bind(const char *spec, struct sockaddr_storage *ss, int *loopback, kg_err *err)
{
    char host[256];
    const char *colon = strrchr(spec, ':');
    if (!colon || colon == spec || !colon[1])
        return kg_err_set(err, KG_EINVAL, "--http %s: expected HOST:PORT (e.g. 127.0.0.1:8765)",
                          spec);
    size_t n = (size_t)(colon - spec);
    if (n >= sizeof host)
        return kg_err_set(err, KG_EINVAL, "--http %s: host too long", spec);
    memcpy(host, spec, n);
    host[n] = '\0';
    char *end;
    long port = strtol(colon + 1, &end, 10);
    if (*end || port < 0 || port > 65535)
        return kg_err_set(err, KG_EINVAL, "--http %s: port must be 0..65535", spec);
    memset(ss, 0, sizeof *ss);
    if (strcmp(host, "localhost") == 0)
        snprintf(host, sizeof host, "127.0.0.1");
    if (host[0] == '[' && host[n - 1] == ']') {
        host[n - 1] = '\0';
        struct sockaddr_in6 *a = (struct sockaddr_in6 *)ss;
        a->sin6_family = AF_INET6;
        a->sin6_port = htons((uint16_t)port);
        if (inet_pton(AF_INET6, host + 1, &a->sin6_addr) != 1)
            return kg_err_set(err, KG_EINVAL, "--http %s: not an IPv6 address", spec);
        *loopback = IN6_IS_ADDR_LOOPBACK(&a->sin6_addr);
    } else {
        struct sockaddr_in *a = (struct sockaddr_in *)ss;
        a->sin_family = AF_INET;
        a->sin_port = htons((uint16_t)port);
        if (inet_pton(AF_INET, host, &a->sin_addr) != 1)
            return kg_err_set(err, KG_EINVAL,
                              "--http %s: give a numeric address or localhost (no name "
                              "lookups)",
                              spec);
        *loopback = (ntohl(a->sin_addr.s_addr) >> 24) == 127;
    }
    return KG_OK;
}
