// libpq, PostgreSQL's reference client library, as Debian installs it (libpq-dev), loaded when
// the first PostgreSQL connection is made rather than linked: libpq brings libssl, libcrypto,
// GSSAPI and LDAP with it, thousands of symbol lookups the dynamic loader would make before
// every fupin command ran a line (BENCHMARKS.md, start-up), and most workspaces are SQLite.
// Only FupinCore imports this module (CONTRIBUTING.md "Layers").
//
// Each function fupin uses has an `fpq_` twin here calling libpq's own through a pointer found
// with dlsym. `fpq_load()` must have returned 1 (loaded) before any twin is called; a twin
// whose symbol is missing returns the failure value its libpq function documents.
#include <dlfcn.h>
#include <stddef.h>
#include <postgresql/libpq-fe.h>

/// libpq's handle (loaded on first use), or NULL when it cannot be loaded.
static inline void *fpq_handle(void) {
    static void *handle = NULL;
    if (handle == NULL) handle = dlopen("libpq.so.5", RTLD_NOW | RTLD_LOCAL);
    if (handle == NULL) handle = dlopen("libpq.so", RTLD_NOW | RTLD_LOCAL);
    return handle;
}

/// `name` in libpq, or NULL.
static inline void *fpq_symbol(const char *name) {
    void *handle = fpq_handle();
    return handle == NULL ? NULL : dlsym(handle, name);
}

// A twin: the pointer is looked up once per including file, on the first call (the same value
// from every thread, so a first call racing another stores what the other stores).
#define FPQ(ret, fail, name, params, args) \
    static inline ret fpq_##name params { \
        static ret (*f) params = NULL; \
        if (f == NULL) f = (ret (*) params) fpq_symbol(#name); \
        if (f == NULL) return fail; \
        return f args; \
    }
#define FPQ_VOID(name, params, args) \
    static inline void fpq_##name params { \
        static void (*f) params = NULL; \
        if (f == NULL) f = (void (*) params) fpq_symbol(#name); \
        if (f != NULL) f args; \
    }

/// 1 when libpq is loaded and has every function fupin calls, else 0.
static inline int fpq_load(void) {
    static const char *const names[] = {
        "PQconnectdb", "PQfinish", "PQstatus", "PQerrorMessage", "PQsetClientEncoding",
        "PQsetNoticeProcessor", "PQbackendPID", "PQtransactionStatus", "PQexec", "PQexecParams",
        "PQgetResult", "PQresultStatus", "PQresultErrorMessage", "PQresultErrorField", "PQclear",
        "PQntuples", "PQnfields", "PQfname", "PQftype", "PQgetvalue", "PQgetlength", "PQgetisnull",
        "PQcmdTuples", "PQputCopyData", "PQputCopyEnd", "PQgetCancel", "PQcancel", "PQfreeCancel",
    };
    for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
        if (fpq_symbol(names[i]) == NULL) return 0;
    return 1;
}

FPQ(PGconn *, NULL, PQconnectdb, (const char *conninfo), (conninfo))
FPQ_VOID(PQfinish, (PGconn *conn), (conn))
FPQ(ConnStatusType, CONNECTION_BAD, PQstatus, (const PGconn *conn), (conn))
FPQ(char *, NULL, PQerrorMessage, (const PGconn *conn), (conn))
FPQ(int, -1, PQsetClientEncoding, (PGconn *conn, const char *encoding), (conn, encoding))
FPQ(PQnoticeProcessor, NULL, PQsetNoticeProcessor, (PGconn *conn, PQnoticeProcessor proc, void *arg), (conn, proc, arg))
FPQ(int, 0, PQbackendPID, (const PGconn *conn), (conn))
FPQ(PGTransactionStatusType, PQTRANS_UNKNOWN, PQtransactionStatus, (const PGconn *conn), (conn))
FPQ(PGresult *, NULL, PQexec, (PGconn *conn, const char *query), (conn, query))
FPQ(PGresult *, NULL, PQexecParams,
    (PGconn *conn, const char *command, int nParams, const Oid *paramTypes, const char *const *paramValues,
     const int *paramLengths, const int *paramFormats, int resultFormat),
    (conn, command, nParams, paramTypes, paramValues, paramLengths, paramFormats, resultFormat))
FPQ(PGresult *, NULL, PQgetResult, (PGconn *conn), (conn))
FPQ(ExecStatusType, PGRES_FATAL_ERROR, PQresultStatus, (const PGresult *res), (res))
FPQ(char *, NULL, PQresultErrorMessage, (const PGresult *res), (res))
FPQ(char *, NULL, PQresultErrorField, (const PGresult *res, int fieldcode), (res, fieldcode))
FPQ_VOID(PQclear, (PGresult *res), (res))
FPQ(int, 0, PQntuples, (const PGresult *res), (res))
FPQ(int, 0, PQnfields, (const PGresult *res), (res))
FPQ(char *, NULL, PQfname, (const PGresult *res, int field_num), (res, field_num))
FPQ(Oid, 0, PQftype, (const PGresult *res, int field_num), (res, field_num))
FPQ(char *, NULL, PQgetvalue, (const PGresult *res, int tup_num, int field_num), (res, tup_num, field_num))
FPQ(int, 0, PQgetlength, (const PGresult *res, int tup_num, int field_num), (res, tup_num, field_num))
FPQ(int, 1, PQgetisnull, (const PGresult *res, int tup_num, int field_num), (res, tup_num, field_num))
FPQ(char *, NULL, PQcmdTuples, (PGresult *res), (res))
FPQ(int, -1, PQputCopyData, (PGconn *conn, const char *buffer, int nbytes), (conn, buffer, nbytes))
FPQ(int, -1, PQputCopyEnd, (PGconn *conn, const char *errormsg), (conn, errormsg))
FPQ(PGcancel *, NULL, PQgetCancel, (PGconn *conn), (conn))
FPQ(int, 0, PQcancel, (PGcancel *cancel, char *errbuf, int errbufsize), (cancel, errbuf, errbufsize))
FPQ_VOID(PQfreeCancel, (PGcancel *cancel), (cancel))
