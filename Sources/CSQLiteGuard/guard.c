#include "fupin_sqlite_guard.h"

// Sets one on/off setting and reads it back: returns `bit` when it does not hold.
static int set_flag(sqlite3 *db, int op, int wanted, int bit) {
    int now = -1;
    if (sqlite3_db_config(db, op, wanted, &now) != SQLITE_OK || now != wanted) return bit;
    return 0;
}

int fupin_sqlite_harden(sqlite3 *db) {
    int failed = 0;
    failed |= set_flag(db, SQLITE_DBCONFIG_DEFENSIVE, 1, FUPIN_HARDEN_DEFENSIVE);
    // Debian builds SQLite with SQLITE_ENABLE_FTS3_TOKENIZER: the two-argument form hands out
    // and accepts raw C pointers.
    failed |= set_flag(db, SQLITE_DBCONFIG_ENABLE_FTS3_TOKENIZER, 0, FUPIN_HARDEN_FTS3_TOKENIZER);
    failed |= set_flag(db, SQLITE_DBCONFIG_ENABLE_LOAD_EXTENSION, 0, FUPIN_HARDEN_LOAD_EXTENSION);
    // The DBCONFIG setting covers only the C API; this also disables load_extension() in SQL.
    if (sqlite3_enable_load_extension(db, 0) != SQLITE_OK) failed |= FUPIN_HARDEN_LOAD_EXTENSION;
#ifdef SQLITE_DBCONFIG_TRUSTED_SCHEMA
    failed |= set_flag(db, SQLITE_DBCONFIG_TRUSTED_SCHEMA, 0, FUPIN_HARDEN_TRUSTED_SCHEMA);
#else
    failed |= FUPIN_HARDEN_TRUSTED_SCHEMA;
#endif
    return failed;
}
