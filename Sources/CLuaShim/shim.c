// The C side of Fupin's Lua boundary: see include/CLuaShim.h for why it exists.
#include "CLuaShim.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

static clua_dispatch_fn swift_dispatch = NULL;
static void (*swift_release)(void *box) = NULL;

void clua_set_dispatch(clua_dispatch_fn fn) { swift_dispatch = fn; }
void clua_set_release(void (*fn)(void *box)) { swift_release = fn; }

int64_t clua_now_ns(void) {
    struct timespec ts;
    clock_gettime(CLOCK_MONOTONIC, &ts);
    return (int64_t)ts.tv_sec * 1000000000LL + ts.tv_nsec;
}

// MARK: - Allocator

// Counts every block; refuses growth past the limit while `enforce` is set. Lua turns a
// refusal into a "not enough memory" error, after which the state is still usable.
static void *limited_alloc(void *ud, void *ptr, size_t osize, size_t nsize) {
    clua_limits *lim = (clua_limits *)ud;
    size_t old = ptr ? osize : 0;
    if (nsize == 0) {
        free(ptr);
        lim->used -= old;
        return NULL;
    }
    if (nsize > old && lim->limit != 0 && lim->enforce &&
        lim->used - old + nsize > lim->limit) {
        return NULL;
    }
    void *block = realloc(ptr, nsize);
    if (block == NULL) return NULL;
    lim->used = lim->used - old + nsize;
    if (lim->used > lim->peak) lim->peak = lim->used;
    return block;
}

// Never returns into Lua: an error outside any protected call is a bug in the host.
static int panic(lua_State *L) {
    const char *msg = lua_tostring(L, -1);
    lua_writestringerror("fupin: unprotected Lua error: %s\n", msg ? msg : "(not a string)");
    abort();
    return 0;
}

// Lua 5.4 warnings (from failing finalizers, for instance) go to stderr like lua.c's.
static void warnf(void *ud, const char *msg, int tocont) {
    (void)ud;
    lua_writestringerror("%s", msg);
    if (!tocont) lua_writestringerror("%s", "\n");
}

lua_State *clua_newstate(void) {
    clua_limits *lim = calloc(1, sizeof(clua_limits));
    if (lim == NULL) return NULL;
    lua_State *L = lua_newstate(limited_alloc, lim);
    if (L == NULL) { free(lim); return NULL; }
    *(clua_limits **)lua_getextraspace(L) = lim;   // copied into every new thread
    lua_atpanic(L, panic);
    lua_setwarnf(L, warnf, NULL);
    return L;
}

void clua_close(lua_State *L) {
    clua_limits *lim = clua_getlimits(L);
    lim->enforce = 0;
    lua_close(L);
    free(lim);
}

// MARK: - Hook: time limit and interrupt

#define CLUA_HOOK_COUNT 1000

// Runs every CLUA_HOOK_COUNT instructions. Once tripped it raises on every instruction, so a
// `pcall` that swallows the error is interrupted again at once, up to the outermost call.
static void limit_hook(lua_State *L, lua_Debug *ar) {
    (void)ar;
    clua_limits *lim = clua_getlimits(L);
    if (lim->tripped == CLUA_TRIP_NONE) {
        if (lim->interrupt) lim->tripped = CLUA_TRIP_INTERRUPT;
        else if (lim->deadline_ns != 0 && clua_now_ns() > lim->deadline_ns) lim->tripped = CLUA_TRIP_TIME;
        else return;
    }
    // From now on raise at every instruction of this thread: a pcall that catches the error
    // returns into code that raises again at once, so the error climbs to the top.
    if (lua_gethookcount(L) != 1) lua_sethook(L, limit_hook, LUA_MASKCOUNT, 1);
    if (lim->tripped == CLUA_TRIP_INTERRUPT) luaL_error(L, "interrupted");
    luaL_error(L, "time limit exceeded");
}

void clua_install_limit_hook(lua_State *L) {
    lua_sethook(L, limit_hook, LUA_MASKCOUNT, CLUA_HOOK_COUNT);
}

void clua_request_interrupt(lua_State *L) {
    clua_limits *lim = clua_getlimits(L);
    lim->interrupt = 1;
    // Like lua.c's `laction`: make sure a hook runs soon even if none was installed.
    lua_sethook(L, limit_hook, LUA_MASKCALL | LUA_MASKRET | LUA_MASKCOUNT, 1);
}

void clua_reset_trip(lua_State *L) {
    clua_limits *lim = clua_getlimits(L);
    lim->tripped = CLUA_TRIP_NONE;
    lim->interrupt = 0;
    // An interrupt armed the hook on every instruction; go back to the cheap count hook.
    if (lua_gethook(L) == limit_hook) clua_install_limit_hook(L);
}

// MARK: - Swift functions and objects

// Every Swift function is this closure with one upvalue: a userdata holding the box.
// Swift runs with the memory limit lifted, so no allocation it makes can raise across
// its frames; the error, if any, is raised here after Swift has returned.
static int trampoline(lua_State *L) {
    void **slot = (void **)lua_touserdata(L, lua_upvalueindex(1));
    clua_limits *lim = clua_getlimits(L);
    int enforce = lim->enforce;
    lim->enforce = 0;
    int n = swift_dispatch(L, *slot, lim->host);
    lim->enforce = enforce;
    if (n < 0) return lua_error(L);
    return n;
}

// __gc of a box holder: releases the Swift object once.
static int release_box(lua_State *L) {
    void **slot = (void **)lua_touserdata(L, 1);
    if (slot != NULL && *slot != NULL) {
        void *box = *slot;
        *slot = NULL;
        if (swift_release) swift_release(box);
    }
    return 0;
}

static const char *const BOX_HOLDER = "fupin.boxholder";

// Pushes a userdata holding `box` whose metatable is `tname`; creates the metatable with a
// releasing __gc the first time. Leaves the userdata on the stack.
static void push_box(lua_State *L, void *box, const char *tname) {
    void **slot = (void **)lua_newuserdatauv(L, sizeof(void *), 0);
    *slot = box;
    if (luaL_newmetatable(L, tname)) {
        lua_pushcfunction(L, release_box);
        lua_setfield(L, -2, "__gc");
    }
    lua_setmetatable(L, -2);
}

void clua_push_swift_function(lua_State *L, void *box) {
    push_box(L, box, BOX_HOLDER);
    lua_pushcclosure(L, trampoline, 1);
}

void clua_push_boxed_userdata(lua_State *L, void *box, const char *tname) {
    push_box(L, box, tname);
}

void clua_push_release_function(lua_State *L) { lua_pushcfunction(L, release_box); }

void *clua_to_box(lua_State *L, int idx) {
    void **slot = (void **)lua_touserdata(L, idx);
    return slot ? *slot : NULL;
}

// MARK: - Protected helpers

// tostring that cannot fail: runs luaL_tolstring under pcall; pushes the string.
static int tostring_body(lua_State *L) {
    luaL_tolstring(L, 1, NULL);
    return 1;
}

int clua_number2str(double d, char *buf, int size) {
    int n = snprintf(buf, (size_t)size, LUA_NUMBER_FMT, d);
    if (n > 0 && n < size - 2 && buf[strspn(buf, "-0123456789")] == '\0') {
        buf[n++] = '.'; buf[n++] = '0'; buf[n] = '\0';   // looks like an int: add ".0" as Lua does
    }
    return n;
}

// Pushes a string describing the value at `idx`, falling back to its type when its
// `__tostring` fails or returns a non-string.
static void push_safe_tostring(lua_State *L, int idx) {
    idx = lua_absindex(L, idx);
    lua_pushcfunction(L, tostring_body);
    lua_pushvalue(L, idx);
    if (lua_pcall(L, 1, 1, 0) != LUA_OK || !lua_isstring(L, -1)) {
        lua_pop(L, 1);
        lua_pushfstring(L, "(error object is a %s value)", luaL_typename(L, idx));
    }
}

// The message handler (after lua.c's msghandler): keeps the error value as it is, so a
// table raised by Lua reaches Swift and can be raised again unchanged, and stores
// "message + traceback" in the registry under CLUA_TRACEBACK_KEY for Swift to read.
static int msghandler(lua_State *L) {
    luaL_traceback(L, L, NULL, 1);
    lua_setfield(L, LUA_REGISTRYINDEX, CLUA_TRACEBACK_KEY);
    lua_settop(L, 1);
    return 1;
}

void clua_push_msghandler(lua_State *L) { lua_pushcfunction(L, msghandler); }

int clua_pcall_traced(lua_State *L, int nargs, int nresults) {
    int base = lua_gettop(L) - nargs;   // the function's index
    lua_pushcfunction(L, msghandler);
    lua_insert(L, base);
    clua_limits *lim = clua_getlimits(L);
    int enforce = lim->enforce;
    lim->enforce = 1;
    int status = lua_pcall(L, nargs, nresults, base);
    lim->enforce = enforce;
    lua_remove(L, base);
    return status;
}

static int gettable_body(lua_State *L) {   // (t, k) -> t[k]
    lua_gettable(L, 1);
    return 1;
}

int clua_pgettable(lua_State *L, int idx) {
    idx = lua_absindex(L, idx);
    lua_pushcfunction(L, gettable_body);
    lua_pushvalue(L, idx);
    lua_rotate(L, -3, -1);       // key to the top: fn, t, k
    return lua_pcall(L, 2, 1, 0);
}

static int settable_body(lua_State *L) {   // (t, k, v)
    lua_settable(L, 1);
    return 0;
}

int clua_psettable(lua_State *L, int idx) {
    idx = lua_absindex(L, idx);
    lua_pushcfunction(L, settable_body);
    lua_pushvalue(L, idx);
    lua_rotate(L, -4, 2);        // k, v, fn, t -> fn, t, k, v
    return lua_pcall(L, 3, 0, 0);
}

int clua_ptostring(lua_State *L, int idx) {
    idx = lua_absindex(L, idx);
    lua_pushcfunction(L, tostring_body);
    lua_pushvalue(L, idx);
    return lua_pcall(L, 1, 1, 0);
}

static const luaL_Reg standard_libs[] = {
    {LUA_GNAME, luaopen_base},
    {LUA_LOADLIBNAME, luaopen_package},
    {LUA_COLIBNAME, luaopen_coroutine},
    {LUA_TABLIBNAME, luaopen_table},
    {LUA_IOLIBNAME, luaopen_io},
    {LUA_OSLIBNAME, luaopen_os},
    {LUA_STRLIBNAME, luaopen_string},
    {LUA_MATHLIBNAME, luaopen_math},
    {LUA_UTF8LIBNAME, luaopen_utf8},
    {LUA_DBLIBNAME, luaopen_debug},
    {NULL, NULL},
};

static int openlib_body(lua_State *L) {   // (name)
    const char *name = lua_tostring(L, 1);
    for (const luaL_Reg *lib = standard_libs; lib->func; lib++) {
        if (strcmp(lib->name, name) == 0 || (strcmp(name, "base") == 0 && lib->func == luaopen_base)) {
            luaL_requiref(L, lib->name, lib->func, 1);
            return 0;
        }
    }
    return luaL_error(L, "no standard library named '%s'", name);
}

int clua_openlib(lua_State *L, const char *name) {
    lua_pushcfunction(L, openlib_body);
    lua_pushstring(L, name);
    return lua_pcall(L, 1, 0, 0);
}
