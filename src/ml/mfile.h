/* mfile: the model container file of every trained model kgas ships.
 *
 * A model is a few named arrays (feature keys, quantised weights, tag
 * names, settings...).  This container holds them so that a model can be
 * used straight from a read-only mapping of the file, or from bytes linked
 * into the binary, without parsing or copying: every section starts on a
 * 16-byte boundary and holds the host's little-endian layout.
 *
 *   offset  0  magic "KGMODL\r\n" (8 bytes; the CR LF catches text-mode mangling)
 *           8  u32 format version (KG_MFILE_VERSION)
 *          12  u32 number of sections
 *          16  char kind[16]   what the model is for ("ner", "pos"...), NUL-padded
 *          32  u64 file length
 *          40  u64 checksum: the first 8 bytes of BLAKE2b over bytes [48, length)
 *          48  section table: per section char name[32] (NUL-padded),
 *              u64 offset, u64 length
 *              then the sections' bytes, each at a multiple of 16
 *
 * Loading trusts nothing: magic, version, kind, length, checksum and every
 * section's bounds are checked, and each failure is an error naming the
 * file and what is wrong with it ("model file m.kgm: truncated: 1200 of
 * 4096 bytes"), never a crash and never an empty model.  The checksum
 * catches accidents (a truncated copy, a flipped bit), not forgeries.
 * The writer is deterministic: the same sections in the same order give
 * the same bytes (padding is zeroed), which is what makes "the same data
 * gives the same model file" testable.
 *
 * Ownership: a kg_mfile_writer copies what it is given; kg_mfile_bytes
 * returns a malloc'd block.  A kg_mfile from kg_mfile_open maps the file
 * and unmaps it in kg_mfile_close; one from kg_mfile_open_mem borrows the
 * caller's bytes, which must outlive it.  Section pointers stay valid until
 * kg_mfile_close.  A kg_mfile is read-only and may be shared by threads. */
#ifndef KG_ML_MFILE_H
#define KG_ML_MFILE_H

#include <stddef.h>
#include <stdint.h>

#include "base/err.h"

#define KG_MFILE_VERSION 1u
#define KG_MFILE_NAME_MAX 32 /* section name bytes, including the NUL */

typedef struct kg_mfile_writer kg_mfile_writer;
typedef struct kg_mfile kg_mfile;

kg_mfile_writer *kg_mfile_writer_new(const char *kind);
/* Add a section (name < 32 bytes, unique); the data is copied. */
void kg_mfile_put(kg_mfile_writer *w, const char *name, const void *data, size_t len);
/* A text section (the NUL is not stored). */
void kg_mfile_put_str(kg_mfile_writer *w, const char *name, const char *s);
/* The file's bytes; caller frees *out. */
void kg_mfile_bytes(const kg_mfile_writer *w, unsigned char **out, size_t *len);
/* Write the file atomically (a temporary beside it, then rename). */
int kg_mfile_save(const kg_mfile_writer *w, const char *path, kg_err *err);
void kg_mfile_writer_free(kg_mfile_writer *w);

/* Map and check the file at path; kind must match (NULL: any). */
int kg_mfile_open(const char *path, const char *kind, kg_mfile **out, kg_err *err);
/* Check bytes already in memory; name is used in messages. */
int kg_mfile_open_mem(const void *data, size_t len, const char *name, const char *kind,
                      kg_mfile **out, kg_err *err);
/* A model built into the executable: checked like kg_mfile_open_mem but
 * for the checksum, which would hash every byte (13 MB for the NER model:
 * half the CPU of a one-question `kgas search`) to guard against damage
 * that would be the executable's own.  Tests verify the built-in blobs'
 * checksums with kg_mfile_open_mem. */
int kg_mfile_open_builtin(const void *data, size_t len, const char *name, const char *kind,
                          kg_mfile **out, kg_err *err);
void kg_mfile_close(kg_mfile *m);

const char *kg_mfile_name(const kg_mfile *m);
const char *kg_mfile_kind(const kg_mfile *m);
size_t kg_mfile_count(const kg_mfile *m);
/* The i-th section's name (i < count). */
const char *kg_mfile_section_name(const kg_mfile *m, size_t i);
/* A section's bytes, or NULL when absent. */
const void *kg_mfile_get(const kg_mfile *m, const char *name, size_t *len);
/* A section that must be there and hold whole elements of elem_size
 * bytes (and at least min_count of them): *count elements at *p, or an
 * error naming the file and the section. */
int kg_mfile_need(const kg_mfile *m, const char *name, size_t elem_size, size_t min_count,
                  const void **p, size_t *count, kg_err *err);

#endif
