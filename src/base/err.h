/* err: errors a person can act on.
 *
 * Every fallible function in kgas returns an int status (0 = success,
 * negative = failure) and, on failure, fills a caller-owned kg_err with a
 * sentence that says what went wrong and where ("page 3 of paper.pdf:
 * encrypted, needs a password").  Library code never prints: the front doors
 * (cli/, server/) decide how to show the message.
 *
 * Messages pass through the secret redactor (base/log.h) when they are set,
 * so a registered API key can never travel inside an error.
 * A kg_err owns no heap memory; it can live on the stack. */
#ifndef KG_BASE_ERR_H
#define KG_BASE_ERR_H

#include <stdarg.h>

enum {
    KG_OK = 0,
    KG_EINVAL = -1,  /* bad argument or setting */
    KG_EIO = -2,     /* file or device error */
    KG_ENOMEM = -3,  /* allocation failed */
    KG_EFORMAT = -4, /* input in a format we cannot read */
    KG_EDENIED = -5, /* refused by a policy (path, read-only) */
    KG_ENOTFOUND = -6,
    KG_EDB = -7, /* database error */
    KG_EBUSY = -8,
    KG_ECANCELED = -9,
    KG_ETOOBIG = -10,
};

#define KG_ERR_MSG_MAX 1024

typedef struct kg_err {
    int code;
    char msg[KG_ERR_MSG_MAX];
} kg_err;

/* Reset to "no error". Accepts NULL. */
void kg_err_clear(kg_err *e);

/* Fill e (which may be NULL) and return code, so callers can write
 * `return kg_err_set(e, KG_EIO, "cannot read %s: %s", path, strerror(errno));` */
int kg_err_set(kg_err *e, int code, const char *fmt, ...) __attribute__((format(printf, 3, 4)));
int kg_err_setv(kg_err *e, int code, const char *fmt, va_list ap)
    __attribute__((format(printf, 3, 0)));

/* Put "prefix: " in front of an existing message (adds context on the way up). */
int kg_err_prefix(kg_err *e, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* A short name for a code ("invalid argument", "I/O error", ...). */
const char *kg_err_name(int code);

#endif
