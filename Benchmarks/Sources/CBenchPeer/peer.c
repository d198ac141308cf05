#include <lua.h>
#include <lauxlib.h>
#include "CBenchPeer.h"

static int c_max(lua_State *L) {
    lua_Number a = luaL_checknumber(L, 1);
    lua_Number b = luaL_checknumber(L, 2);
    lua_pushvalue(L, a >= b ? 1 : 2);
    return 1;
}

void bench_register_c_max(lua_State *L) {
    lua_pushcfunction(L, c_max);
    lua_setglobal(L, "c_max");
}
