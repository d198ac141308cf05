import CLua
import CLuaShim

/// Building Lua values on a stack from Swift, for hosts that convert many values and cannot
/// afford a `LuaValue` per value (records read from a database, say). Every write is raw and
/// every push is of one value, so none of these runs a metamethod or needs more than the
/// slots a Swift function is given (a count the caller chooses goes through `reserveStack`).
///
/// ```swift
/// lua.newTable(fieldCapacity: 2, on: L)
/// lua.pushInteger(7, on: L); lua.setField("id", on: L)
/// lua.pushString("郝九为", on: L); lua.setField("name", on: L)   // leaves { id = 7, name = ... }
/// ```
extension LuaState {
    /// Pushes nil. Leaves one value on the stack.
    @inlinable public func pushNil(on L: OpaquePointer) { lua_pushnil(L) }
    /// Whether the value at `index` is nil (or the index is past the top). Leaves the stack as is.
    @inlinable public func isNil(at index: Int32, on L: OpaquePointer) -> Bool { lua_type(L, index) <= LUA_TNIL }
    /// Pushes an integer. Leaves one value on the stack.
    @inlinable public func pushInteger(_ i: Int64, on L: OpaquePointer) { lua_pushinteger(L, i) }
    /// Pushes a float. Leaves one value on the stack.
    @inlinable public func pushNumber(_ d: Double, on L: OpaquePointer) { lua_pushnumber(L, d) }
    /// Pushes a boolean. Leaves one value on the stack.
    @inlinable public func pushBoolean(_ b: Bool, on L: OpaquePointer) { lua_pushboolean(L, b ? 1 : 0) }

    /// Pushes `count` bytes at `bytes` as a Lua string (copied). Leaves one value on the stack.
    @inlinable public func pushBytes(_ bytes: UnsafeRawPointer, count: Int, on L: OpaquePointer) {
        _ = lua_pushlstring(L, bytes.assumingMemoryBound(to: CChar.self), count)
    }

    /// Pushes a new table with room for `arrayCapacity` items and `fieldCapacity` fields.
    /// Leaves one table on the stack.
    @inlinable public func newTable(arrayCapacity: Int = 0, fieldCapacity: Int = 0, on L: OpaquePointer) {
        lua_createtable(L, Int32(clamping: arrayCapacity), Int32(clamping: fieldCapacity))
    }

    /// `t[name] = v`, raw, for v on top (popped) and t just below it. Leaves t.
    public func setField(_ name: String, on L: OpaquePointer) {
        pushString(name, on: L)
        lua_rotate(L, -2, 1)
        lua_rawset(L, -3)
    }

    /// `t[i] = v`, raw, for v on top (popped) and t just below it. Leaves t.
    @inlinable public func setIndex(_ i: Int, on L: OpaquePointer) { lua_rawseti(L, -2, lua_Integer(i)) }

    /// `t[k] = v`, raw, for k and v on top (popped, v topmost) and t below them; a nil or NaN
    /// key, which Lua refuses with an error, pops both and sets nothing. Leaves t.
    public func setPair(on L: OpaquePointer) {
        let keyType = lua_type(L, -2)
        if keyType == LUA_TNIL || (keyType == LUA_TNUMBER && lua_isinteger(L, -2) == 0 && clua_tonumber(L, -2).isNaN) {
            clua_pop(L, 2)
            return
        }
        lua_rawset(L, -3)
    }

    /// Pushes `t[i]`, raw, for the table at `index`. Leaves one value on the stack.
    @inlinable public func pushIndex(_ i: Int, ofTableAt index: Int32, on L: OpaquePointer) {
        lua_rawgeti(L, index, lua_Integer(i))
    }

    /// Gives the value on top the metatable `metatable` (it stays on top).
    public func setMetatable(_ metatable: LuaTable, on L: OpaquePointer) {
        metatable.push(on: L)
        lua_setmetatable(L, -2)
    }

    /// The index of the top value (the number of values on the stack).
    @inlinable public func top(on L: OpaquePointer) -> Int32 { lua_gettop(L) }

    /// Removes the value at `index`, moving those above it down.
    @inlinable public func remove(at index: Int32, on L: OpaquePointer) {
        lua_rotate(L, index, -1)
        lua_settop(L, -2)
    }
}

extension LuaCallFrame {
    /// "file:line: " of the nearest calling Lua function whose chunk is not one of
    /// `skipping` (a host's own Lua layers), or "" when there is none.
    public func callerPosition(skipping: Set<String>) -> String {
        var ar = lua_Debug()
        var level: Int32 = 1
        while lua_getstack(L, level, &ar) != 0 {
            lua_getinfo(L, "Sl", &ar)
            let source = withUnsafeBytes(of: ar.short_src) { raw in
                String(decoding: raw.prefix { $0 != 0 }, as: UTF8.self)
            }
            if ar.currentline > 0 && !skipping.contains(source) { return "\(source):\(ar.currentline): " }
            level += 1
        }
        return ""
    }
}

extension LuaRef {
    /// Field `name` of the referenced value's metatable as text, read raw (see
    /// `LuaState.metafieldString`).
    public func metafieldString(_ name: String) -> String? {
        let L = state.L
        push(on: L)
        defer { clua_pop(L, 1) }
        return state.metafieldString(name, ofValueAt: -1, on: L)
    }
}

extension LuaState {
    /// The Lua release this state runs ("5.4.6").
    public static var release: String { LUA_VERSION_MAJOR + "." + LUA_VERSION_MINOR + "." + LUA_VERSION_RELEASE }
}

extension LuaInterruptHandle {
    /// A C function that interrupts the state whose handle `pointer` is (from
    /// `signalContext`): what a signal handler written in C can call, since it does only
    /// async-signal-safe work (sets a flag and arms the hook).
    public static let signalSafeInterrupt: @convention(c) (UnsafeMutableRawPointer?) -> Void = { pointer in
        guard let pointer else { return }
        clua_request_interrupt(OpaquePointer(pointer))
    }

    /// The pointer to hand to `signalSafeInterrupt`.
    public var signalContext: UnsafeMutableRawPointer { UnsafeMutableRawPointer(L) }
}

/// Field names interned once as Lua strings, for building many tables with the same fields
/// (rows of a query): a field is set by its number, with no string made or hashed per value.
///
/// ```swift
/// let keys = lua.internedKeys(["id", "name"])
/// lua.pushTable(keys: keys, on: L) { t in t.setInteger(0, 7); t.setString(1, "郝九为") }
/// ```
public final class LuaKeyList {
    let table: LuaTable
    public let count: Int
    init(table: LuaTable, count: Int) {
        self.table = table
        self.count = count
    }
}

@available(*, unavailable)
extension LuaKeyList: Sendable {}

/// Sets fields of the table `LuaState.pushTable` is building, by key number (0-based). Each
/// setter pushes the key and the value and sets them raw: never more than two slots.
public struct LuaTableWriter {
    /// The thread the table is built on.
    public let L: OpaquePointer
    /// Stack index of the key list's table.
    @usableFromInline let keys: Int32

    @usableFromInline init(L: OpaquePointer, keys: Int32) {
        self.L = L
        self.keys = keys
    }

    @inlinable func pushKey(_ key: Int) { lua_rawgeti(L, keys, lua_Integer(key + 1)) }

    @inlinable public func setInteger(_ key: Int, _ value: Int64) {
        pushKey(key); lua_pushinteger(L, value); lua_rawset(L, -3)
    }
    @inlinable public func setNumber(_ key: Int, _ value: Double) {
        pushKey(key); lua_pushnumber(L, value); lua_rawset(L, -3)
    }
    @inlinable public func setBoolean(_ key: Int, _ value: Bool) {
        pushKey(key); lua_pushboolean(L, value ? 1 : 0); lua_rawset(L, -3)
    }
    /// Sets a string made of the bytes (copied).
    @inlinable public func setBytes(_ key: Int, _ bytes: UnsafeRawBufferPointer) {
        pushKey(key)
        _ = lua_pushlstring(L, bytes.baseAddress?.assumingMemoryBound(to: CChar.self), bytes.count)
        lua_rawset(L, -3)
    }
    /// Sets the value `push` leaves on the stack (it must push exactly one value).
    @inlinable public func set(_ key: Int, _ push: () -> Void) {
        pushKey(key); push(); lua_rawset(L, -3)
    }
}

extension LuaState {
    /// Interns `names` as Lua strings for `pushTable(keys:)`.
    public func internedKeys(_ names: [String]) -> LuaKeyList {
        newTable(arrayCapacity: names.count, on: L)
        for (i, name) in names.enumerated() {
            pushString(name, on: L)
            lua_rawseti(L, -2, lua_Integer(i + 1))
        }
        return LuaKeyList(table: LuaTable(state: self, popping: L), count: names.count)
    }

    /// Pushes a new table, sized for every key of `keys`, whose fields `fill` sets through a
    /// writer, and gives it `metatable` if one is given. Leaves one table on the stack.
    @inlinable public func pushTable(
        keys: LuaKeyList, metatable: LuaTable? = nil, on L: OpaquePointer,
        _ fill: (LuaTableWriter) -> Void
    ) {
        pushKeys(keys, on: L)
        let keysIndex = lua_gettop(L)
        lua_createtable(L, 0, Int32(clamping: keys.count))
        fill(LuaTableWriter(L: L, keys: keysIndex))
        if let metatable { setMetatable(metatable, on: L) }
        lua_rotate(L, keysIndex, -1)  // drop the key list below the table
        lua_settop(L, -2)
    }

    /// Pushes the key list's table. Leaves one table on the stack.
    @usableFromInline func pushKeys(_ keys: LuaKeyList, on L: OpaquePointer) { keys.table.push(on: L) }
}

extension LuaState {
    /// Gives the value just below the top the metatable on top (popped).
    public func setMetatableOfValueBelowTop(on L: OpaquePointer) { lua_setmetatable(L, -2) }
}
