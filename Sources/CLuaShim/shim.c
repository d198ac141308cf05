// The C side of Fupin's Lua boundary: see include/CLuaShim.h for why it exists.
#include "CLuaShim.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <pthread.h>

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
    if (block == NULL) {
        // With the limit lifted, Swift is running: a refusal now would raise a memory error
        // that unwinds across its frames. The system itself is out of memory; stop here.
        if (!lim->enforce) {
            lua_writestringerror("fupin: out of memory (%zu bytes) while Swift code ran\n", nsize);
            abort();
        }
        return NULL;
    }
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

static void fast_slots_release_owner(clua_limits *owner);

void clua_close(lua_State *L) {
    clua_limits *lim = clua_getlimits(L);
    lim->enforce = 0;
    lua_close(L);
    fast_slots_release_owner(lim);
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

int clua_stop_due(lua_State *L) {
    clua_limits *lim = clua_getlimits(L);
    if (__atomic_load_n(&lim->tripped, __ATOMIC_RELAXED) != CLUA_TRIP_NONE) return 1;
    if (__atomic_load_n(&lim->interrupt, __ATOMIC_RELAXED)) return 1;
    int64_t deadline = __atomic_load_n(&lim->deadline_ns, __ATOMIC_RELAXED);
    return deadline != 0 && clua_now_ns() > deadline;
}

void clua_reset_trip(lua_State *L) {
    clua_limits *lim = clua_getlimits(L);
    lim->tripped = CLUA_TRIP_NONE;
    lim->interrupt = 0;
    // An interrupt armed the hook on every instruction; go back to the cheap count hook.
    if (lua_gethook(L) == limit_hook) clua_install_limit_hook(L);
}

// MARK: - Swift functions and objects

// Every Swift function is a C closure with one upvalue: a userdata holding the box.
// Swift runs with the memory limit lifted, so no allocation it makes can raise across
// its frames; the error, if any, is raised here after Swift has returned.
static inline int call_swift(lua_State *L, void *box) {
    clua_limits *lim = clua_getlimits(L);
    int enforce = lim->enforce;
    lim->enforce = 0;
    int n = swift_dispatch(L, box, lim->host);
    lim->enforce = enforce;
    if (n < 0) return lua_error(L);
    return n;
}

// The general trampoline: finds the box through its upvalue (one lua_touserdata call).
static int trampoline(lua_State *L) {
    void **slot = (void **)lua_touserdata(L, lua_upvalueindex(1));
    return call_swift(L, *slot);
}

// Fast trampolines: CLUA_FAST_SLOTS distinct C functions, each reading its box from a static
// slot, so a call costs no upvalue lookup (about a tenth of a Lua→Swift call, measured with
// callgrind). A slot belongs to one state (its clua_limits) until that state is closed; only
// then can it be reused, since no closure of a closed state can run. The closure still
// carries the holder userdata as upvalue, whose __gc releases the box and clears the slot
// (a finalizer resurrecting the closure then dispatches a NULL box, which Swift ignores, as
// with the general trampoline). When every slot is taken, functions use the general one.
#define CLUA_FAST_SLOTS 128
#define CLUA_FAST_LIST(X) X(0) X(1) X(2) X(3) X(4) X(5) X(6) X(7) X(8) X(9) X(10) X(11) X(12) X(13) X(14) X(15) X(16) X(17) X(18) X(19) X(20) X(21) X(22) X(23) X(24) X(25) X(26) X(27) X(28) X(29) X(30) X(31) X(32) X(33) X(34) X(35) X(36) X(37) X(38) X(39) X(40) X(41) X(42) X(43) X(44) X(45) X(46) X(47) X(48) X(49) X(50) X(51) X(52) X(53) X(54) X(55) X(56) X(57) X(58) X(59) X(60) X(61) X(62) X(63) X(64) X(65) X(66) X(67) X(68) X(69) X(70) X(71) X(72) X(73) X(74) X(75) X(76) X(77) X(78) X(79) X(80) X(81) X(82) X(83) X(84) X(85) X(86) X(87) X(88) X(89) X(90) X(91) X(92) X(93) X(94) X(95) X(96) X(97) X(98) X(99) X(100) X(101) X(102) X(103) X(104) X(105) X(106) X(107) X(108) X(109) X(110) X(111) X(112) X(113) X(114) X(115) X(116) X(117) X(118) X(119) X(120) X(121) X(122) X(123) X(124) X(125) X(126) X(127)
static void *fast_boxes[CLUA_FAST_SLOTS];
static clua_limits *fast_owner[CLUA_FAST_SLOTS];
static pthread_mutex_t fast_lock = PTHREAD_MUTEX_INITIALIZER;
static int fast_next_unused = 0;     // slots below this have been handed out at least once

#define CLUA_FAST_FN(k) static int fast_trampoline_##k(lua_State *L) { return call_swift(L, fast_boxes[k]); }
CLUA_FAST_LIST(CLUA_FAST_FN)
#define CLUA_FAST_ENTRY(k) fast_trampoline_##k,
static const lua_CFunction fast_trampolines[CLUA_FAST_SLOTS] = { CLUA_FAST_LIST(CLUA_FAST_ENTRY) };

// A slot for `box` owned by `owner`, or -1 when all are taken.
static int fast_slot_take(clua_limits *owner, void *box) {
    int slot = -1;
    pthread_mutex_lock(&fast_lock);
    if (fast_next_unused < CLUA_FAST_SLOTS) {
        slot = fast_next_unused++;
    } else {
        for (int i = 0; i < CLUA_FAST_SLOTS; i++) {
            if (fast_owner[i] == NULL) { slot = i; break; }
        }
    }
    if (slot >= 0) {
        fast_owner[slot] = owner;
        fast_boxes[slot] = box;
    }
    pthread_mutex_unlock(&fast_lock);
    return slot;
}

// Frees every slot of a state being closed.
static void fast_slots_release_owner(clua_limits *owner) {
    pthread_mutex_lock(&fast_lock);
    for (int i = 0; i < fast_next_unused; i++) {
        if (fast_owner[i] == owner) {
            fast_owner[i] = NULL;
            fast_boxes[i] = NULL;
        }
    }
    pthread_mutex_unlock(&fast_lock);
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

// The holder of a function with a fast slot: the box first (as every holder), then the slot.
typedef struct fast_holder {
    void *box;
    int slot;
} fast_holder;

// __gc of a fast holder: clears the slot (kept by the state until it closes), releases the box.
static int release_fast_box(lua_State *L) {
    fast_holder *h = (fast_holder *)lua_touserdata(L, 1);
    if (h != NULL && h->box != NULL) {
        void *box = h->box;
        h->box = NULL;
        pthread_mutex_lock(&fast_lock);
        if (h->slot >= 0 && fast_boxes[h->slot] == box) fast_boxes[h->slot] = NULL;
        pthread_mutex_unlock(&fast_lock);
        if (swift_release) swift_release(box);
    }
    return 0;
}

int clua_newmetatable_raw(lua_State *L, const char *tname) {
    lua_pushstring(L, tname);
    if (lua_rawget(L, LUA_REGISTRYINDEX) != LUA_TNIL) return 0;
    lua_pop(L, 1);
    lua_createtable(L, 0, 2);
    lua_pushstring(L, "__name");
    lua_pushstring(L, tname);
    lua_rawset(L, -3);
    lua_pushstring(L, tname);
    lua_pushvalue(L, -2);
    lua_rawset(L, LUA_REGISTRYINDEX);
    return 1;
}

void *clua_testudata_raw(lua_State *L, int idx, const char *tname) {
    void *p = lua_touserdata(L, idx);
    if (p == NULL || !lua_getmetatable(L, idx)) return NULL;
    lua_pushstring(L, tname);
    lua_rawget(L, LUA_REGISTRYINDEX);
    if (!lua_rawequal(L, -1, -2)) p = NULL;
    lua_pop(L, 2);
    return p;
}

// Sets t.__gc (t on top) to `fn`, raw.
static void set_gc_raw(lua_State *L, lua_CFunction fn) {
    lua_pushstring(L, "__gc");
    lua_pushcfunction(L, fn);
    lua_rawset(L, -3);
}

static const char *const BOX_HOLDER = "fupin.boxholder";
static const char *const FAST_BOX_HOLDER = "fupin.fastboxholder";

// Pushes a userdata holding `box` whose metatable is `tname`; creates the metatable with a
// releasing __gc the first time. Leaves the userdata on the stack.
static void push_box(lua_State *L, void *box, const char *tname) {
    void **slot = (void **)lua_newuserdatauv(L, sizeof(void *), 0);
    *slot = box;
    if (clua_newmetatable_raw(L, tname)) set_gc_raw(L, release_box);
    lua_setmetatable(L, -2);
}

void clua_push_swift_function(lua_State *L, void *box) {
    clua_limits *owner = clua_getlimits(L);
    int slot = fast_slot_take(owner, box);
    if (slot < 0) {
        push_box(L, box, BOX_HOLDER);
        lua_pushcclosure(L, trampoline, 1);
        return;
    }
    fast_holder *h = (fast_holder *)lua_newuserdatauv(L, sizeof(fast_holder), 0);
    h->box = box;
    h->slot = slot;
    if (clua_newmetatable_raw(L, FAST_BOX_HOLDER)) set_gc_raw(L, release_fast_box);
    lua_setmetatable(L, -2);
    lua_pushcclosure(L, fast_trampolines[slot], 1);
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
    lua_pushstring(L, CLUA_TRACEBACK_KEY);
    luaL_traceback(L, L, NULL, 1);
    lua_rawset(L, LUA_REGISTRYINDEX);
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
