/* dotenv: load KEY=VALUE lines from a `.env` file into the environment.
 *
 * The CLI calls this once at start, before settings are read, so a project
 * folder can carry its KGAS_* variables and API keys without exporting them
 * by hand.  A variable already in the real environment always wins: the file
 * only fills gaps.  Values are copied into the environment (setenv); nothing
 * is kept here.  Values are never put into error messages, since the file
 * usually holds keys. */
#ifndef KG_CONFIG_DOTENV_H
#define KG_CONFIG_DOTENV_H

#include "base/err.h"

/* Load path.  A missing file is not an error (returns 0, *loaded = 0).
 * Lines: `KEY=VALUE`, `export KEY=VALUE`, `# comment`, blank; VALUE may be
 * wrapped in single or double quotes.  *loaded (may be NULL) gets the number
 * of variables set (not counting those the environment already had). */
int kg_dotenv_load(const char *path, int *loaded, kg_err *err);

#endif
