/* common: what the libFuzzer harnesses in fuzz/ share.
 *
 * Each fuzz/fuzz_NAME.c defines LLVMFuzzerTestOneInput for one parser of
 * input kgas does not control; CMake builds every such file (a harness for
 * a new reader is one more file), scripts/fuzz.sh runs them, and ctest
 * replays the seeds of fuzz/corpus/NAME in the sanitizer build.  Harnesses
 * never touch anything outside their scratch folder and keep the process's
 * state as they found it (a leak or a growing table is a finding too). */
#ifndef KG_FUZZ_COMMON_H
#define KG_FUZZ_COMMON_H

#include <stddef.h>
#include <stdint.h>

#include "base/fsafe.h"

/* A scratch folder of this process (created on first use, under $TMPDIR or
 * /tmp), and logging off: harnesses run millions of times. */
const char *fz_dir(void);
/* Write data to fz_dir()/name; returns the path (a static buffer, valid
 * until the next call). */
const char *fz_file(const char *name, const uint8_t *data, size_t size);
/* A NUL-terminated copy of the data (caller frees). */
char *fz_str(const uint8_t *data, size_t size);
/* The path policy of the loaders' harnesses: files under fz_dir() only. */
const kg_path_policy *fz_policy(void);
/* The loaders' harnesses: write the input as file `name`, load it through
 * kg_load_file as `kind` (0..3: text/load.h's kg_doc_kind) into a sink
 * that checks what loaders promise: pages from 1 upwards, never going
 * back, and valid UTF-8 text.  Traps on a broken promise. */
void fz_load(const char *name, int kind, const uint8_t *data, size_t size);

#endif
