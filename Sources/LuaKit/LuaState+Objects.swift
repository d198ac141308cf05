import CLua
import CLuaShim

/// How a Swift class looks from Lua: its methods, properties and `tostring`.
///
/// ```swift
/// lua.register(Counter.self, name: "Counter") { c in
///     c.method("add") { counter, frame in counter.value += try frame.integer(2); return 0 }
///     c.property("value", get: { .integer($0.value) })
///     c.toString { "Counter(\($0.value))" }
/// }
/// lua.setGlobal("counter", lua.value(for: Counter()))
/// ```
public final class LuaClass<Object: AnyObject> {
    public let name: String
    var methods: [(String, (Object, LuaCallFrame) throws -> Int32)] = []
    var getters: [String: (Object) throws -> LuaValue] = [:]
    var setters: [String: (Object, LuaValue) throws -> Void] = [:]
    var describe: ((Object) -> String)?

    init(name: String) { self.name = name }

    /// A method called as `obj:name(...)`; argument 1 of `frame` is the object itself.
    public func method(_ name: String, _ body: @escaping (Object, LuaCallFrame) throws -> Int32) {
        methods.append((name, body))
    }

    /// A method taking and returning values (the object itself is not among `args`).
    public func method(_ name: String, values body: @escaping (Object, [LuaValue]) throws -> [LuaValue]) {
        method(name) { object, frame in
            let args = Array(frame.arguments.dropFirst())
            return try frame.push(results: try body(object, args))
        }
    }

    /// A property read as `obj.name`, and written as `obj.name = v` when `set` is given.
    public func property(
        _ name: String, get: @escaping (Object) throws -> LuaValue,
        set: ((Object, LuaValue) throws -> Void)? = nil
    ) {
        getters[name] = get
        if let set { setters[name] = set }
    }

    /// What `tostring(obj)` returns.
    public func toString(_ body: @escaping (Object) -> String) { describe = body }
}

extension LuaState {
    /// Registers how objects of `type` appear in Lua; `name` is their `__name`.
    /// Registering the same type again replaces its metatable's contents.
    public func register<Object: AnyObject>(_ type: Object.Type, name: String, _ build: (LuaClass<Object>) -> Void) {
        let cls = LuaClass<Object>(name: name)
        build(cls)
        let tname = "luakit.class." + name
        registeredClasses[ObjectIdentifier(type)] = tname
        let L = self.L
        _ = clua_newmetatable_raw(L, tname)
        clua_push_release_function(L)
        clua_rawsetfield(L, -2, "__gc")
        pushString(name, on: L)
        clua_rawsetfield(L, -2, "__name")

        // Methods live in one table; each checks that argument 1 is an object of this class.
        lua_createtable(L, 0, Int32(cls.methods.count))
        for (methodName, body) in cls.methods {
            pushFunction(
                { frame in
                    let object = try Self.self_(frame, tname: tname, cls: cls, method: methodName)
                    return try body(object, frame)
                }, on: L)
            clua_rawsetfield(L, -2, methodName)
        }
        if cls.getters.isEmpty {
            clua_rawsetfield(L, -2, "__index")
        } else {
            let methodsRef = LuaTable(state: self, popping: L)
            let getters = cls.getters
            pushFunction(
                { frame in
                    let object = try Self.self_(frame, tname: tname, cls: cls, method: "__index")
                    if let key = frame.state.string(at: 2, on: frame.L), lua_type(frame.L, 2) == LUA_TSTRING,
                        let get = getters[key]
                    {
                        frame.push(try get(object))
                        return 1
                    }
                    methodsRef.push(on: frame.L)
                    lua_pushvalue(frame.L, 2)
                    lua_rawget(frame.L, -2)
                    return 1
                }, on: L)
            clua_rawsetfield(L, -2, "__index")
        }
        let setters = cls.setters
        pushFunction(
            { frame in
                let object = try Self.self_(frame, tname: tname, cls: cls, method: "__newindex")
                let key = frame.state.string(at: 2, on: frame.L) ?? "?"
                guard let set = setters[key] else {
                    throw LuaScriptError("cannot set field '\(key)' of \(name)")
                }
                try set(object, frame.value(3))
                return 0
            }, on: L)
        clua_rawsetfield(L, -2, "__newindex")
        let describe = cls.describe
        pushFunction(
            { frame in
                let object = try Self.self_(frame, tname: tname, cls: cls, method: "__tostring")
                frame.push(describe?(object) ?? "\(name): \(UInt(bitPattern: ObjectIdentifier(object).hashValue))")
                return 1
            }, on: L)
        clua_rawsetfield(L, -2, "__tostring")
        clua_pop(L, 1)
    }

    /// The object at argument 1 of `frame`, checked against the class.
    private static func self_<Object: AnyObject>(
        _ frame: LuaCallFrame, tname: String, cls: LuaClass<Object>,
        method: String
    ) throws -> Object {
        guard clua_testudata_raw(frame.L, 1, tname) != nil, let box = clua_to_box(frame.L, 1) else {
            throw LuaScriptError("bad argument #1 to '\(method)' (\(cls.name) expected; call it with ':')")
        }
        return Unmanaged<Object>.fromOpaque(box).takeUnretainedValue()
    }

    /// Pushes `object` as a full userdata of its registered class; Lua holds a strong
    /// reference released by `__gc`. Leaves one value on the stack.
    public func pushObject<Object: AnyObject>(_ object: Object, on L: OpaquePointer) {
        let tname = registeredClasses[ObjectIdentifier(Object.self)] ?? "luakit.class.unregistered"
        let box = Unmanaged.passRetained(object).toOpaque()
        clua_push_boxed_userdata(L, box, tname)
    }

    /// `object` as a Lua value (a userdata of its registered class).
    public func value<Object: AnyObject>(for object: Object) -> LuaValue {
        pushObject(object, on: L)
        return .userdata(LuaRef(state: self, popping: L))
    }

    /// The object of class `type` at `index`, or nil if the value is something else.
    public func object<Object: AnyObject>(at index: Int32, on L: OpaquePointer, as type: Object.Type) -> Object? {
        guard let tname = registeredClasses[ObjectIdentifier(type)],
            clua_testudata_raw(L, index, tname) != nil,
            let box = clua_to_box(L, index)
        else { return nil }
        return Unmanaged<Object>.fromOpaque(box).takeUnretainedValue()
    }
}
