// swift-tools-version:6.1
// libFuzzer targets for ArxivDigest's input readers. A nested package, so the root's `swift build` and
// `swift test` never see these executables: they have no `main` of their own (libFuzzer supplies it) and
// link only with `-sanitize=fuzzer`. Build and run them with `Tests/Fuzz/fuzz.sh` (see README.md).
import PackageDescription

let package = Package(
    name: "ArxivDigestFuzz",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "ArxivDigest", path: "../.."),
    ],
    targets: [
        // libFuzzer's driver entry (the one C declaration the targets need).
        .systemLibrary(name: "CLibFuzzer"),
        .target(name: "FuzzDriver", dependencies: ["CLibFuzzer"]),
        .executableTarget(
            name: "fuzz-atom",
            dependencies: [.product(name: "ArxivFeed", package: "ArxivDigest"), "FuzzDriver"]
        ),
        .executableTarget(
            name: "fuzz-jsonl",
            dependencies: [.product(name: "ArxivFeed", package: "ArxivDigest"), "FuzzDriver"]
        ),
        .executableTarget(
            name: "fuzz-modelfile",
            dependencies: [.product(name: "ModelStore", package: "ArxivDigest"), "FuzzDriver"]
        ),
        .executableTarget(
            name: "fuzz-tokenizer",
            dependencies: [.product(name: "TextFeatures", package: "ArxivDigest"), "FuzzDriver"]
        ),
    ],
    swiftLanguageModes: [.v5]
)
