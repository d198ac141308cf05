/// The Lua side of `fp`: collection and query objects over the native functions.
///
/// Queries are immutable tables `{_c = collection, _f = {filters}, _o = {orders}, _l, _s, _g}`;
/// each chained call returns a new one, and nothing runs until a terminal method. Every
/// collection is itself the query of all its valid records. The chunk receives the natives,
/// the collection names and the compiled `fp.report` chunk, and returns the `fp` table.
///
/// The Lua is `lua/fp_prelude.lua`, compiled into the binary (Package.swift `embedInCode`).
enum FpPrelude {
    static var source: [UInt8] { PackageResources.fp_prelude_lua }
}
