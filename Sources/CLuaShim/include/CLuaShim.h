// CLuaShim: the C side of Fupin's Lua boundary.
//
// Swift must never be unwound by Lua's longjmp. So:
//  - Swift functions are called from Lua through `clua_trampoline`, a C function that asks
//    Swift to do the work, and raises the Lua error itself *after* the Swift frame returned;
//  - Lua's function-like macros and variadic functions, which Swift cannot import, are
//    wrapped here as `static inline` functions with a `clua_` prefix;
//  - limits (memory through a counting allocator, time and interrupt through a count hook)
//    live in C, where raising an error is safe.
#ifndef CLUA_SHIM_H
#define CLUA_SHIM_H

#include <stddef.h>
#include <stdint.h>
#include <lua.h>
#include <lauxlib.h>
#include <lualib.h>

// Only the dispatch function's pointers carry nullability (so Swift imports them non-optional
// and the hot path skips the checks); the rest of this header's pointers stay unspecified.
#pragma clang diagnostic push
#pragma clang diagnostic ignored "-Wnullability-completeness"

// MARK: - Limits

/// Why the count hook stopped Lua code.
enum {
    CLUA_TRIP_NONE = 0,
    CLUA_TRIP_TIME = 1,
    CLUA_TRIP_INTERRUPT = 2,
};

/// Per-state accounting shared by the allocator and the hook. It is the allocator's `ud`
/// and sits in the extra space of every thread of the state (`lua_getextraspace`), so any
/// C function holding a `lua_State` finds it with one load.
typedef struct clua_limits {
    size_t used;              // bytes currently allocated by this state
    size_t peak;              // highest `used` seen
    size_t limit;             // 0 = no limit
    int enforce;              // limit applies only while Lua code runs (see clua_trampoline)
    int64_t deadline_ns;      // CLOCK_MONOTONIC deadline, 0 = none
    volatile int interrupt;   // set from another thread or a signal handler
    int tripped;              // CLUA_TRIP_*: once set, every hook call raises again
    void *host;               // the Swift LuaState owning this lua_State (unretained)
} clua_limits;

/// Creates a state whose allocator counts into a fresh `clua_limits`. Returns NULL on failure.
lua_State *clua_newstate(void);
/// Closes a state made by `clua_newstate` and frees its limits.
void clua_close(lua_State *L);
/// The limits record of a state made by `clua_newstate` (any of its threads).
static inline clua_limits *clua_getlimits(lua_State *L) { return *(clua_limits **)lua_getextraspace(L); }
/// Installs the count hook that enforces the deadline and the interrupt flag.
void clua_install_limit_hook(lua_State *L);
/// Asks running Lua code to stop (async-signal-safe): sets the flag and arms the hook.
void clua_request_interrupt(lua_State *L);
/// Clears a trip and the interrupt flag (called when a top-level call finishes).
void clua_reset_trip(lua_State *L);
/// Whether the running call is due to stop (interrupt requested, deadline passed or already
/// tripped). Only reads the limits, with atomic loads: safe from another thread while Lua runs.
int clua_stop_due(lua_State *L);
/// Monotonic clock in nanoseconds.
int64_t clua_now_ns(void);

// MARK: - Calls from Lua into Swift

/// Swift's side of every call from Lua: `box` is the opaque pointer stored with the function,
/// `host` the state's `clua_limits.host`.
/// Returns the number of results on the stack, or -1 with the error value on top.
typedef int (*clua_dispatch_fn)(lua_State *_Nonnull L, void *_Nullable box, void *_Nonnull host);
/// Called by Swift once, with the function every trampoline dispatches to.
void clua_set_dispatch(clua_dispatch_fn fn);
/// Called by Swift once, with the function that releases a box when Lua collects it.
void clua_set_release(void (*fn)(void *box));
/// Pushes a Lua C closure that dispatches to Swift with `box` (retained by the caller;
/// released through the release function when Lua collects the closure).
/// Leaves the function on the stack.
void clua_push_swift_function(lua_State *L, void *box);
/// Pushes a full userdata holding `box`, with metatable `tname` (created if missing with a
/// `__gc` that releases the box). Leaves the userdata on the stack.
void clua_push_boxed_userdata(lua_State *L, void *box, const char *tname);
/// Pushes the C function that releases a box holder's box (a `__gc` for such metatables).
void clua_push_release_function(lua_State *L);
/// luaL_newmetatable reading and writing the registry raw (no metamethod can run): pushes
/// the metatable registered as `tname`, creating it (with `__name`) and returning 1 if new.
int clua_newmetatable_raw(lua_State *L, const char *tname);
/// luaL_testudata with a raw registry read: the userdata at `idx` if its metatable is the
/// one registered as `tname`, else NULL. Leaves the stack as it was.
void *clua_testudata_raw(lua_State *L, int idx, const char *tname);
/// The box of a userdata pushed by `clua_push_boxed_userdata`, or NULL (also once collected).
void *clua_to_box(lua_State *L, int idx);

// MARK: - Protected helpers (each runs under lua_pcall; returns a LUA_* status)

/// Registry key where the message handler leaves the "stack traceback:..." of the last error.
#define CLUA_TRACEBACK_KEY "luakit.traceback"
/// Pushes the message handler used for every protected call: it leaves the error value as it
/// is and stores its text (guarding against a failing `__tostring`) with a traceback.
void clua_push_msghandler(lua_State *L);
/// lua_pcall with the message handler and the memory limit enforced; leaves results or the
/// error value on the stack.
int clua_pcall_traced(lua_State *L, int nargs, int nresults);
/// t[k] with metamethods: pops the key, pushes the value. t at `idx`.
int clua_pgettable(lua_State *L, int idx);
/// t[k] = v with metamethods: pops key and value. t at `idx`.
int clua_psettable(lua_State *L, int idx);
/// Pushes tostring(v) for the value at `idx` (with `__tostring`/`__name`), protected.
int clua_ptostring(lua_State *L, int idx);
/// Opens the standard library named `name` ("base", "string", ...) under protection.
int clua_openlib(lua_State *L, const char *name);

/// Formats a float as Lua's `tostring` does ("1.0", "0.1", "1e+100"); returns the length.
int clua_number2str(double d, char *buf, int size);

// MARK: - Macros and variadics Swift cannot import

static inline void clua_pop(lua_State *L, int n) { lua_settop(L, -(n)-1); }
static inline void clua_newtable(lua_State *L) { lua_createtable(L, 0, 0); }
static inline int clua_upvalueindex(int i) { return LUA_REGISTRYINDEX - i; }
static inline int clua_registryindex(void) { return LUA_REGISTRYINDEX; }
static inline const char *clua_tolstring(lua_State *L, int i, size_t *len) { return lua_tolstring(L, i, len); }
static inline lua_Number clua_tonumber(lua_State *L, int i) { return lua_tonumberx(L, i, NULL); }
static inline lua_Integer clua_tointeger(lua_State *L, int i) { return lua_tointegerx(L, i, NULL); }
static inline int clua_isnoneornil(lua_State *L, int i) { return lua_type(L, i) <= 0; }
static inline void clua_insert(lua_State *L, int i) { lua_rotate(L, i, 1); }
static inline void clua_remove(lua_State *L, int i) { lua_rotate(L, i, -1); lua_settop(L, -2); }
static inline void clua_replace(lua_State *L, int i) { lua_copy(L, -1, i); lua_settop(L, -2); }
static inline void *clua_newuserdata(lua_State *L, size_t size) { return lua_newuserdatauv(L, size, 1); }
static inline void clua_pushglobaltable(lua_State *L) { lua_rawgeti(L, LUA_REGISTRYINDEX, LUA_RIDX_GLOBALS); }
static inline int clua_gc_count_kb(lua_State *L) { return lua_gc(L, LUA_GCCOUNT, 0); }
static inline void clua_gc_collect(lua_State *L) { lua_gc(L, LUA_GCCOLLECT, 0); }
/// t[k] = v, raw, for t at `idx` and v on top (popped). Raises only on memory failure.
static inline void clua_rawsetfield(lua_State *L, int idx, const char *k) {
    idx = lua_absindex(L, idx); lua_pushstring(L, k); lua_rotate(L, -2, 1); lua_rawset(L, idx);
}
/// Pushes t[k], raw, for t at `idx`; returns its type.
static inline int clua_rawgetfield(lua_State *L, int idx, const char *k) {
    idx = lua_absindex(L, idx); lua_pushstring(L, k); return lua_rawget(L, idx);
}
static inline int clua_ref(lua_State *L) { return luaL_ref(L, LUA_REGISTRYINDEX); }
static inline void clua_unref(lua_State *L, int ref) { luaL_unref(L, LUA_REGISTRYINDEX, ref); }
static inline int clua_getref(lua_State *L, int ref) { return lua_rawgeti(L, LUA_REGISTRYINDEX, ref); }
static inline int clua_loadbuffer(lua_State *L, const char *buf, size_t len, const char *name, const char *mode) {
    return luaL_loadbufferx(L, buf, len, name, mode);
}

#pragma clang diagnostic pop

#endif
