/* retry: see retry.h. */
#include "net/retry.h"

#include <ctype.h>
#include <curl/curl.h>
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "net/curl_lib.h"

kg_retry_class kg_retry_classify(int curl_code, long status)
{
    if (curl_code != CURLE_OK) {
        switch (curl_code) {
        /* Transport trouble that a second attempt can cure. */
        case CURLE_OPERATION_TIMEDOUT:
        case CURLE_COULDNT_CONNECT:
        case CURLE_COULDNT_RESOLVE_HOST:
        case CURLE_GOT_NOTHING:
        case CURLE_RECV_ERROR:
        case CURLE_SEND_ERROR:
        case CURLE_PARTIAL_FILE:
        case CURLE_HTTP2:
        case CURLE_HTTP2_STREAM:
        case CURLE_BAD_CONTENT_ENCODING:
        case CURLE_WEIRD_SERVER_REPLY: return KG_RETRY_AGAIN;
        default:
            /* TLS verification failures, bad URLs, our own size limit:
             * retrying would only repeat them. */
            return KG_RETRY_FATAL;
        }
    }
    if (status >= 200 && status < 300)
        return KG_RETRY_DONE;
    if (status == 429 || status == 408 || (status >= 500 && status != 501))
        return KG_RETRY_AGAIN;
    return KG_RETRY_FATAL;
}

double kg_retry_backoff_ms(const kg_retry_policy *p, int attempt, double rand01)
{
    if (attempt < 0)
        attempt = 0;
    if (attempt > 30)
        attempt = 30; /* 2^30 * base is past any cap; avoid overflow */
    double ceil_ms = p->base_ms * ldexp(1.0, attempt);
    if (ceil_ms > p->cap_ms)
        ceil_ms = p->cap_ms;
    if (rand01 < 0)
        rand01 = 0;
    if (rand01 > 1)
        rand01 = 1;
    return rand01 * ceil_ms;
}

double kg_retry_after_ms(const char *value, time_t now)
{
    if (!value)
        return -1;
    while (isspace((unsigned char)*value))
        value++;
    if (!*value)
        return -1;
    if (isdigit((unsigned char)*value)) {
        char *end = NULL;
        double s = strtod(value, &end);
        while (end && isspace((unsigned char)*end))
            end++;
        if (end && *end == '\0' && s >= 0 && isfinite(s))
            return s * 1000.0;
        /* "Sun, 06 Nov..." never starts with a digit, but RFC 850 dates
         * can; fall through to the date reader. */
    }
    /* libcurl's date reader knows the three HTTP date formats; a hint is
     * optional, so without libcurl there is simply none. */
    if (kg_curl_lib_load(NULL) != KG_OK)
        return -1;
    time_t t = kg_curl->getdate(value, NULL);
    if (t == (time_t)-1)
        return -1;
    double d = difftime(t, now);
    return d > 0 ? d * 1000.0 : 0.0;
}

double kg_retry_duration_ms(const char *value)
{
    if (!value)
        return -1;
    const char *p = value;
    while (isspace((unsigned char)*p))
        p++;
    if (!*p)
        return -1;
    double total = 0;
    int parts = 0;
    while (*p && !isspace((unsigned char)*p)) {
        char *end = NULL;
        double x = strtod(p, &end);
        if (end == p || x < 0 || !isfinite(x))
            return -1;
        p = end;
        double unit;
        if (strncmp(p, "ms", 2) == 0) {
            unit = 1;
            p += 2;
        } else if (strncmp(p, "us", 2) == 0) {
            unit = 0.001;
            p += 2;
        } else if (*p == 'h') {
            unit = 3600000;
            p++;
        } else if (*p == 'm') {
            unit = 60000;
            p++;
        } else if (*p == 's') {
            unit = 1000;
            p++;
        } else {
            return -1; /* a bare number is ambiguous: seconds or ms? refuse */
        }
        total += x * unit;
        parts++;
    }
    while (isspace((unsigned char)*p))
        p++;
    return parts && !*p ? total : -1;
}

double kg_retry_hint_ms(const char *retry_after, const char *reset_requests,
                        const char *reset_tokens, time_t now)
{
    double best = -1;
    double v = kg_retry_after_ms(retry_after, now);
    if (v > best)
        best = v;
    v = kg_retry_duration_ms(reset_requests);
    if (v > best)
        best = v;
    v = kg_retry_duration_ms(reset_tokens);
    if (v > best)
        best = v;
    return best;
}

double kg_retry_delay_ms(const kg_retry_policy *p, int attempt, double hint_ms, double rand01)
{
    if (hint_ms >= 0)
        return hint_ms; /* the server knows when its window reopens */
    return kg_retry_backoff_ms(p, attempt, rand01);
}
