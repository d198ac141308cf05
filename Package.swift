// swift-tools-version:6.1
//
// Fupin: the analyst's workbench for targeted poverty-alleviation ledgers.
// The layout follows ../shared/DESIGN.md "Layout". Plugins/ and Scripts/ hold Lua,
// not SwiftPM plugins, so no plugin target is declared here.
import PackageDescription

let package = Package(
    name: "Fupin",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "fupin", targets: ["fupin"]),
        .library(name: "LuaKit", targets: ["LuaKit"]),
        .library(name: "FupinCore", targets: ["FupinCore"]),
        // For Tests/Fuzz (a package of its own) to fuzz the `fp` filter conversion.
        .library(name: "FupinScripting", targets: ["FupinScripting"]),
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
        // A general Lua embedding library; knows nothing of the domain.
        .target(
            name: "LuaKit",
            dependencies: ["CLua", "CLuaShim"]),
        // The domain model and its storage. No Lua.
        .target(
            name: "FupinCore",
            dependencies: [
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "GRDBSQLite", package: "GRDB.swift"),
            ]),
        // The `fp` Lua API over FupinCore, the plugin host, report helpers, type stubs.
        .target(
            name: "FupinScripting",
            dependencies: [
                "LuaKit", "FupinCore", "CTerminal",
            ]),
        // libedit (BSD licence; Debian libedit-dev) for the REPL's line editing.
        .systemLibrary(
            name: "CEdit",
            pkgConfig: "libedit",
            providers: [.apt(["libedit-dev"])]),
        // C helpers for the terminal: libedit globals Swift 6 cannot set, wcwidth, locale.
        .target(
            name: "CTerminal",
            dependencies: ["CEdit"]),
        // The executable: commands and (later) the REPL.
        .executableTarget(
            name: "fupin",
            dependencies: [
                "LuaKit", "FupinCore", "FupinScripting", "CTerminal",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]),
        .testTarget(name: "LuaKitTests", dependencies: ["LuaKit", "CLuaShim"]),
        .testTarget(name: "FupinCoreTests", dependencies: ["FupinCore"]),
        .testTarget(name: "FupinScriptingTests", dependencies: ["FupinScripting", "LuaKit", "FupinCore"]),
        .testTarget(name: "FupinCLITests", dependencies: []),
    ]
)
