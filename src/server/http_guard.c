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
    if (origins) {
        size_t n = strlen(origin);
        const char *q = origins;
        while (*q) {
            const char *e = strchr(q, ',');
            size_t len = e ? (size_t)(e - q) : strlen(q);
            while (len && *q == ' ') {
                q++;
                len--;
            }
            if (len == n && strncmp(q, origin, n) == 0)
                return 1;
            if (!e)
                break;
            q = e + 1;
        }
    }
    return 0;
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
