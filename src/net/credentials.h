/* credentials: the API key(s) of one service ("llm", "embed").
 *
 * Keys come from the first source that is set, in this order: the setting
 * <service>.api_key (file, environment or flag), <service>.key_file (its
 * first line), <service>.key_command (run with /bin/sh -c; the first line of
 * its output), then OPENAI_API_KEY.  A source may hold several keys,
 * comma-separated: when the server rejects the current one (401) the owner
 * retires it and the next is used; when none is left the sources are read
 * again once (a rotated key file is picked up).  A retired key never comes
 * back, even if a source still lists it.
 *
 * Every key is registered with the log redactor the moment it is read, so
 * it can never appear in a log line or an error.  Keys live in libsodium
 * guarded (locked, non-swappable) memory and are wiped when replaced or
 * freed.  Each key is checked for well-formedness (8..512 printable ASCII
 * characters, no spaces); errors name the setting and where its value came
 * from, never the key.
 *
 * kg_credentials_reload() reads files and may run a command: it blocks, so
 * call it at start-up or on a SIGHUP from the owner's own context, never in
 * a loop callback; kg_credentials_reload_async() does the same on libuv's
 * worker pool and swaps the keys in on the loop.  The kg_config passed to
 * open must outlive the credentials.  Not thread-safe otherwise: one owner
 * (the loop thread). */
#ifndef KG_NET_CREDENTIALS_H
#define KG_NET_CREDENTIALS_H

#include <stddef.h>
#include <uv.h>

#include "base/err.h"
#include "config/config.h"

typedef struct kg_credentials kg_credentials;

/* How long key_command may run before it is killed. */
#define KG_KEY_COMMAND_TIMEOUT_MS 10000

/* Read the keys of `service`.  Having no key at all is not an error here
 * (local servers need none): kg_credentials_key() is then NULL.  A key that
 * is malformed, an unreadable key_file or a failing key_command is. */
int kg_credentials_open(const kg_config *cfg, const char *service, kg_credentials **out,
                        kg_err *err);
void kg_credentials_free(kg_credentials *c);

/* The key to use now, or NULL.  Valid until the next retire/reload/free. */
const char *kg_credentials_key(const kg_credentials *c);
/* Where the keys came from, for messages: "llm.api_key (from KGAS_LLM_API_KEY)",
 * "llm.key_file (/path)", "llm.key_command", "OPENAI_API_KEY"; "" when none. */
const char *kg_credentials_origin(const kg_credentials *c);
/* Keys not yet retired. */
size_t kg_credentials_available(const kg_credentials *c);

/* The current key was rejected: wipe it and move to the next.  1 when
 * another key is ready, 0 when none is left (then reload once, if allowed:
 * see kg_credentials_may_reload). */
int kg_credentials_retire(kg_credentials *c);
/* 1 when a reload after rejection has not yet been tried since the last
 * accepted key; the owner then reloads and retries once. */
int kg_credentials_may_reload(kg_credentials *c);
/* The server accepted the current key: a later 401 may reload again. */
void kg_credentials_accepted(kg_credentials *c);

/* Read the sources again (blocking; see above).  On error the old keys stay. */
int kg_credentials_reload(kg_credentials *c, kg_err *err);

typedef void (*kg_credentials_cb)(int status, const kg_err *err, void *ud);
/* Reload on the worker pool; cb runs on the loop after the swap. */
int kg_credentials_reload_async(kg_credentials *c, uv_loop_t *loop, kg_credentials_cb cb, void *ud);

/* Keys wiped so far (for tests of the wipe-on-replace rule). */
size_t kg_credentials_wiped(const kg_credentials *c);

/* Well-formedness of one key: 0 or a reason (static string, never the key). */
const char *kg_credentials_check(const char *key, size_t len);

#endif
