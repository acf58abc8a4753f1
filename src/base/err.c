/* err: see err.h. */
#include "base/err.h"

#include <stdio.h>
#include <string.h>

#include "base/log.h"

void kg_err_clear(kg_err *e)
{
    if (!e)
        return;
    e->code = KG_OK;
    e->msg[0] = '\0';
}

int kg_err_setv(kg_err *e, int code, const char *fmt, va_list ap)
{
    if (!e)
        return code;
    e->code = code;
    vsnprintf(e->msg, sizeof e->msg, fmt, ap);
    kg_redact_inplace(e->msg, sizeof e->msg);
    return code;
}

int kg_err_set(kg_err *e, int code, const char *fmt, ...)
{
    va_list ap;
    va_start(ap, fmt);
    kg_err_setv(e, code, fmt, ap);
    va_end(ap);
    return code;
}

int kg_err_prefix(kg_err *e, const char *fmt, ...)
{
    if (!e)
        return KG_EINVAL;
    char head[KG_ERR_MSG_MAX];
    va_list ap;
    va_start(ap, fmt);
    vsnprintf(head, sizeof head, fmt, ap);
    va_end(ap);
    char old[KG_ERR_MSG_MAX];
    memcpy(old, e->msg, sizeof old);
    /* Build "head: old" by hand: snprintf with two full-size strings trips
     * -Wformat-truncation, and truncation is exactly what we want here. */
    size_t hl = strnlen(head, sizeof e->msg - 1);
    memcpy(e->msg, head, hl);
    size_t pos = hl;
    if (pos + 2 < sizeof e->msg) {
        memcpy(e->msg + pos, ": ", 2);
        pos += 2;
    }
    size_t ol = strnlen(old, sizeof old);
    if (ol > sizeof e->msg - 1 - pos)
        ol = sizeof e->msg - 1 - pos;
    memcpy(e->msg + pos, old, ol);
    e->msg[pos + ol] = '\0';
    kg_redact_inplace(e->msg, sizeof e->msg);
    return e->code;
}

const char *kg_err_name(int code)
{
    switch (code) {
    case KG_OK: return "ok";
    case KG_EINVAL: return "invalid argument";
    case KG_EIO: return "I/O error";
    case KG_ENOMEM: return "out of memory";
    case KG_EFORMAT: return "unreadable format";
    case KG_EDENIED: return "refused";
    case KG_ENOTFOUND: return "not found";
    case KG_EDB: return "database error";
    case KG_EBUSY: return "busy";
    case KG_ECANCELED: return "cancelled";
    case KG_ETOOBIG: return "too big";
    default: return "error";
    }
}
