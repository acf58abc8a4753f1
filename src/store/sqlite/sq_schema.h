/* sq_schema: the SQLite schema as numbered migrations.
 *
 * Migration N takes a database from user_version N-1 to N.  They are only
 * ever appended: a released migration is never edited, so every database
 * reaches the same schema by the same steps. */
#ifndef KG_STORE_SCHEMA_H
#define KG_STORE_SCHEMA_H

extern const char *const kg_schema_migrations[];
extern const int kg_schema_version;

#endif
