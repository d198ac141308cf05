// swift-tools-version:6.1
//
// Fupin's benchmarks, kept out of the main package so CI's test build stays lean.
// Build with `swift build -c release` (see Makefile here); every benchmark is measured
// beside its peer in the same run, and reported as a ratio.
import PackageDescription

let package = Package(
    name: "FupinBenchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "Fupin", path: "..")
    ],
    targets: [
        // An external C function using Lua's public API: the fair peer of a Swift function.
        .target(
            name: "CBenchPeer",
            cSettings: [.unsafeFlags(["-I/usr/include/lua5.4"])]),
        .executableTarget(
            name: "fupin-bench",
            dependencies: [.product(name: "LuaKit", package: "Fupin"), "CBenchPeer"],
            path: "Sources/fupin-bench"),
    ]
)
