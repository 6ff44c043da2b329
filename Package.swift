// swift-tools-version:6.0
// The house (docs/architecture.md, its "Arrows" table checked by ModuleArrowsTests): arrows point one way.
//   inception-explorer → (ExplorerApp, CursesBackend, InceptionRuntime, InceptionONNX, ...): it wires the
//     explorer's timer (the runtime's) and document I/O (the ONNX codec's).
//   ExplorerApp → (TerminalUI, InceptionWeights → InceptionCore): no engine, no ONNX, no swift-protobuf.
//   InceptionRuntime → (InceptionWeights, InceptionCore, ConvEngine → CPrefetch)
//   InceptionONNX → (InceptionWeights, InceptionCore, SwiftProtobuf)
//   CursesBackend → (TerminalUI, CNcurses, CTerminalState). ncurses appears in CursesBackend only.
//   Tests: TestSupport → (TerminalUI, InceptionWeights → InceptionCore): golden files, temporary
//     directories, and the fixtures two test targets read (no test target reads another's).
import PackageDescription

/// The engine's SIMD kernels run ~100x slower without native codegen, and debug builds of SIMD code
/// are slower than scalar, so the engine is optimised in every configuration (tests stay fast).
let engineFlags: [SwiftSetting] = [
    .unsafeFlags(["-target-cpu", "native"]),
    .unsafeFlags(["-O"], .when(configuration: .debug)),
]

let package = Package(
    name: "InceptionExplorer",
    // macOS 15: the engine's thread pool uses Synchronization.Atomic.
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "inception-explorer", targets: ["inception-explorer"]),
        .library(name: "InceptionCore", targets: ["InceptionCore"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.5.0"),
        .package(url: "https://github.com/apple/swift-protobuf", from: "1.28.0"),
    ],
    targets: [
        .target(name: "InceptionCore"),
        // Weights without the engine: `.npy` I/O, WeightSpec/WeightSource/ModelWeights, SplitMix64.
        .target(name: "InceptionWeights", dependencies: ["InceptionCore"]),
        // One inline software-prefetch function for the engine's weight streams.
        .target(name: "CPrefetch"),
        .target(name: "ConvEngine", dependencies: ["CPrefetch"], swiftSettings: engineFlags),
        .target(
            name: "InceptionRuntime", dependencies: ["InceptionCore", "InceptionWeights", "ConvEngine"],
            swiftSettings: engineFlags),
        // ONNX ⇄ layout + weights. The wire format is swift-protobuf code generated from
        // Proto/onnx-subset.proto (scripts/generate-onnx-proto.sh); the core stays Foundation-only.
        .target(
            name: "InceptionONNX",
            dependencies: [
                "InceptionCore", "InceptionWeights",
                .product(name: "SwiftProtobuf", package: "swift-protobuf"),
            ],
            exclude: ["Proto/onnx-subset.proto"]),
        .target(name: "TerminalUI"),
        .systemLibrary(name: "CNcurses", path: "Sources/CNcurses"),
        // The terminal session's state shared with signal handlers: one .c file, one copy.
        .target(name: "CTerminalState"),
        .target(name: "CursesBackend", dependencies: ["TerminalUI", "CNcurses", "CTerminalState"]),
        .target(name: "ExplorerApp", dependencies: ["TerminalUI", "InceptionCore", "InceptionWeights"]),
        .executableTarget(
            name: "inception-explorer",
            dependencies: [
                "InceptionCore", "InceptionWeights", "InceptionRuntime", "InceptionONNX", "ExplorerApp",
                "CursesBackend",
                "TerminalUI",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(name: "core-benchmark", dependencies: ["InceptionCore"], path: "Benchmarks/CoreBenchmark"),
        .executableTarget(
            name: "explorer-benchmark", dependencies: ["ExplorerApp", "InceptionCore", "TerminalUI"],
            path: "Benchmarks/ExplorerBenchmark"),
        .executableTarget(
            name: "engine-microbench", dependencies: ["ConvEngine"],
            path: "Benchmarks/engine-microbench", swiftSettings: engineFlags),
        .testTarget(
            name: "InceptionCoreTests", dependencies: ["InceptionCore", "InceptionWeights", "TestSupport"],
            exclude: ["Fixtures"]),
        .testTarget(name: "ConvEngineTests", dependencies: ["ConvEngine"]),
        .testTarget(
            name: "InceptionWeightsTests", dependencies: ["InceptionWeights", "TestSupport"], exclude: ["Fixtures"]),
        .testTarget(
            name: "InceptionRuntimeTests",
            dependencies: ["InceptionRuntime", "InceptionWeights", "InceptionCore", "ConvEngine", "TestSupport"]),
        .testTarget(
            name: "InceptionONNXTests",
            dependencies: ["InceptionONNX", "InceptionCore", "InceptionWeights", "InceptionRuntime", "TestSupport"]),
        // Shared test helpers: golden files (screens, command output), temporary directories, and
        // the fixtures more than one test target reads (Fixtures/: the ONNX models, export-tiny.json).
        .target(
            name: "TestSupport", dependencies: ["TerminalUI", "InceptionWeights"], path: "Tests/TestSupport",
            exclude: ["Fixtures"]),
        .testTarget(name: "TerminalUITests", dependencies: ["TerminalUI", "TestSupport"]),
        .testTarget(
            name: "CursesBackendTests", dependencies: ["CursesBackend", "CTerminalState", "CNcurses", "TerminalUI"]),
        .testTarget(
            name: "ExplorerAppTests",
            dependencies: ["ExplorerApp", "TerminalUI", "InceptionCore", "InceptionWeights", "TestSupport"],
            exclude: ["Snapshots"]),
        .testTarget(
            name: "CLITests", dependencies: ["InceptionCore", "InceptionWeights", "InceptionRuntime", "TestSupport"],
            exclude: ["Golden"]),
    ],
    swiftLanguageModes: [.v6]
)
