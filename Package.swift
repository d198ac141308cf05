// swift-tools-version:6.1
//
// Fupin: the analyst's workbench for targeted poverty-alleviation ledgers.
// The targets are layers (CONTRIBUTING.md "Layers"): only LuaKit imports CLua/CLuaShim,
// only FupinCore imports GRDB/SQLite/libpq, only ProcessConfinement imports libseccomp,
// FupinScripting depends on LuaKit, FupinCore, FupinWire and ProcessConfinement only
// (Tests/FupinCLITests/LayerTests.swift holds the imports to it), and FupinREPL is pure
// logic. Plugins/ and Scripts/ hold Lua, not SwiftPM plugins, so no plugin
// target is declared here.
import PackageDescription

let package = Package(
    name: "Fupin",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "fupin", targets: ["fupin"]),
        .library(name: "LuaKit", targets: ["LuaKit"]),
        .library(name: "FupinCore", targets: ["FupinCore"]),
        // The REPL's pure logic (lexer, local rewriter, chunk compiler, completion, layout).
        .library(name: "FupinREPL", targets: ["FupinREPL"]),
        // For Tests/Fuzz (a package of its own) to fuzz the `fp` filter conversion.
        .library(name: "FupinScripting", targets: ["FupinScripting"]),
        // For Tests/Fuzz to fuzz the decoder of the host–worker protocol.
        .library(name: "FupinWire", targets: ["FupinWire"]),
    ],
    dependencies: [
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        // The system Lua 5.4 (Debian: liblua5.4-dev).
        .systemLibrary(
            name: "CLua",
            pkgConfig: "lua5.4",
            providers: [.apt(["liblua5.4-dev"])]),
        // C side of the Lua boundary: the error trampoline, the allocator and hook that
        // enforce limits, and static inline wrappers for Lua's macros.
        .target(
            name: "CLuaShim",
            dependencies: ["CLua"]),
        // A general Lua embedding library; knows nothing of the domain. It converts Lua values
        // to and from FupinWire's plain data (WireLua) on the stack, so that conversion keeps
        // to LuaKit's guards against errors unwinding Swift (docs/luakit.md).
        .target(
            name: "LuaKit",
            dependencies: ["CLua", "CLuaShim", "FupinWire"],
            // Lua kept as .lua files (so luacheck reads them) and compiled into the binary,
            // which `make install` copies alone: no file is looked up at run time.
            resources: [.embedInCode("lua/sandbox.lua")]),
        // C wrappers FupinCore needs for SQLite's variadic sqlite3_db_config (the guard's
        // defensive settings). Used by FupinCore only.
        .target(
            name: "CSQLiteGuard",
            dependencies: [.product(name: "GRDBSQLite", package: "GRDB.swift")]),
        // libxlsxwriter (BSD licence; Debian libxlsxwriter-dev) for the ledgers as XLSX: its
        // header only — the library is loaded when the first workbook is written (shim.h), not
        // linked, so the commands that write none do not pay for loading it (BENCHMARKS.md).
        .systemLibrary(
            name: "CXlsxWriter",
            providers: [.apt(["libxlsxwriter-dev"])]),
        // libpq (Debian libpq-dev), PostgreSQL's reference client: the second store's driver.
        // Used by FupinCore only, which owns the storage engines. Its header only — the library
        // is loaded when the first PostgreSQL connection is made (shim.h), not linked, so a
        // SQLite workspace's commands do not load libpq, libssl and libcrypto at every start.
        .systemLibrary(
            name: "CLibPQ",
            providers: [.apt(["libpq-dev"])]),
        // The domain model and its storage, and the display width of text. No Lua.
        .target(
            name: "FupinCore",
            dependencies: [
                "CText", "CSQLiteGuard", "CXlsxWriter", "CLibPQ",
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ],
            swiftSettings: [
                // Release builds leave out the run-time exclusivity checks of class properties
                // (a twelfth of the national import's writing thread: BulkWriter's per-row state);
                // debug builds, which run the tests, keep them, so a conflicting access still traps
                // there. The compile-time checks stay in both.
                .unsafeFlags(["-enforce-exclusivity=unchecked"], .when(configuration: .release))
            ]),
        // The plain-data format the host and a plugin's worker process exchange
        // (docs/worker-protocol.md). No dependencies, so the fuzzer builds it alone.
        .target(name: "FupinWire"),
        // libseccomp (Debian libseccomp-dev): the system-call filter of plugin workers.
        .systemLibrary(
            name: "CSeccomp",
            pkgConfig: "libseccomp",
            providers: [.apt(["libseccomp-dev"])]),
        // A plugin worker's confinement of itself (descriptors, rlimits, the seccomp filter)
        // behind a C-free Swift API. The only target that imports CSeccomp.
        .target(
            name: "ProcessConfinement",
            dependencies: ["CSeccomp"]),
        // The `fp` Lua API over FupinCore, the plugin host, report helpers, type stubs.
        // No C module and no storage engine: the Lua C API through LuaKit, the
        // store through FupinCore's WorkUnit.
        .target(
            name: "FupinScripting",
            dependencies: ["LuaKit", "FupinCore", "FupinWire", "ProcessConfinement"],
            // The Lua halves of fp, fp.report and the plugin host, embedded like LuaKit's.
            resources: [
                .embedInCode("lua/fp_prelude.lua"),
                .embedInCode("lua/fp_report.lua"),
                .embedInCode("lua/plugin_support.lua"),
                .embedInCode("lua/plugin_specs.lua"),
                .embedInCode("lua/worker_prelude.lua"),
            ]),
        // libedit (BSD licence; Debian libedit-dev) for the REPL's line editing.
        .systemLibrary(
            name: "CEdit",
            pkgConfig: "libedit",
            providers: [.apt(["libedit-dev"])]),
        // C helpers for the terminal: libedit globals Swift 6 cannot set, the SIGINT handler.
        .target(
            name: "CTerminal",
            dependencies: ["CEdit"]),
        // The C library's text measure: wcwidth and the UTF-8 locale it needs. No libedit.
        .target(name: "CText"),
        // The REPL's logic that needs neither a terminal nor a Lua state: the lexer, the
        // rewriter of top-level locals, the chunk compiler's incomplete-input rule, what
        // tab completion completes, and the layout of nested values.
        .target(
            name: "FupinREPL",
            dependencies: ["FupinCore"]),
        // The executable: commands and (later) the REPL.
        .executableTarget(
            name: "fupin",
            dependencies: [
                "LuaKit", "FupinCore", "FupinScripting", "FupinREPL", "CTerminal", "CText",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            resources: [.embedInCode("lua/repl_help.lua")]),
        .testTarget(name: "LuaKitTests", dependencies: ["LuaKit", "CLuaShim", "FupinWire"]),
        // What the test targets share: scratch folders, removed when the test process exits,
        // and a seeded random source.
        .target(name: "TestScratch", path: "Tests/TestScratch"),
        .testTarget(name: "FupinCoreTests", dependencies: ["FupinCore", "TestScratch"]),
        .testTarget(
            name: "FupinScriptingTests",
            dependencies: ["FupinScripting", "LuaKit", "FupinWire", "FupinCore", "TestScratch"]),
        .testTarget(name: "FupinREPLTests", dependencies: ["FupinREPL", "LuaKit"]),
        .testTarget(name: "FupinCLITests", dependencies: ["TestScratch"]),
        .testTarget(name: "FupinWireTests", dependencies: ["FupinWire"]),
    ]
)
