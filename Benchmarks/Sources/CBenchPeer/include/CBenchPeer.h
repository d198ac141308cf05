// A C function outside liblua doing what math.max does for two arguments, through the public
// API only: the peer that shows what any external extension pays for a call.
#ifndef CBENCHPEER_H
#define CBENCHPEER_H
typedef struct lua_State lua_State;
/// Registers global `c_max`.
void bench_register_c_max(lua_State *L);
#endif
