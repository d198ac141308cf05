// swift-tools-version:6.1
//
// libFuzzer targets for Fupin, kept out of the main package so `swift test` never builds them.
// Build and run with Tests/Fuzz/run.sh (it passes -sanitize=fuzzer,address -parse-as-library).
import PackageDescription

let package = Package(
    name: "FupinFuzz",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "Fupin", path: "../..")
    ],
    targets: [
        // The shared fixture: an in-memory workspace holding the sample data (seeds/).
        .target(name: "FuzzSupport", dependencies: [.product(name: "FupinCore", package: "Fupin")]),
        // Bytes of a CSV file (UTF-8, GB18030 or anything) through the validating importers.
        .executableTarget(
            name: "FuzzImport", dependencies: ["FuzzSupport", .product(name: "FupinCore", package: "Fupin")]),
        // Bytes decoded into a Query (filters, ordering, windows) run against the sample data.
        .executableTarget(
            name: "FuzzQuery", dependencies: ["FuzzSupport", .product(name: "FupinCore", package: "Fupin")]),
        // Lua text as a filter table handed to fp.<collection>:where (FpConverter).
        .executableTarget(
            name: "FuzzLuaFilter",
            dependencies: [
                "FuzzSupport", .product(name: "FupinScripting", package: "Fupin"),
                .product(name: "LuaKit", package: "Fupin"),
            ]),
        // Bytes of one host–worker message body through the protocol decoder (FupinWire) and
        // the decoder that builds Lua values straight from them (LuaKit's WireLua).
        .executableTarget(
            name: "FuzzWire",
            dependencies: [
                .product(name: "FupinWire", package: "Fupin"),
                .product(name: "LuaKit", package: "Fupin"),
            ]),
        // Generated Lua programs calling a plugin's fp with ordinary and hostile arguments.
        .executableTarget(
            name: "FuzzLuaProgram",
            dependencies: [
                "FuzzSupport", .product(name: "FupinScripting", package: "Fupin"),
                .product(name: "LuaKit", package: "Fupin"),
            ]),
    ]
)
