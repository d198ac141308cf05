// C side of FupinCore's SQL guard: sqlite3_db_config is variadic, so Swift cannot call it.
#ifndef FUPIN_SQLITE_GUARD_H
#define FUPIN_SQLITE_GUARD_H

#include <sqlite3.h>

/// Bits of `fupin_sqlite_harden`'s result: the settings that did not take.
enum {
    FUPIN_HARDEN_DEFENSIVE = 1,
    FUPIN_HARDEN_FTS3_TOKENIZER = 2,
    FUPIN_HARDEN_LOAD_EXTENSION = 4,
    FUPIN_HARDEN_TRUSTED_SCHEMA = 8,
};

/// Turns on SQLite's defences on `db`: SQLITE_DBCONFIG_DEFENSIVE on; the two-argument
/// fts3_tokenizer(), extension loading (C API and SQL function) and trusted_schema off.
/// Each setting is read back; returns 0 when all hold, else the FUPIN_HARDEN_* bits that do not.
int fupin_sqlite_harden(sqlite3 *db);

#endif
