// swift-tools-version:6.1
// Benchmarks for ArxivDigest: a nested package, so the product's own Package.swift stays free of them.
//
// `arxiv-digest-bench` runs one measurement (a system on one train/test split) per process and prints
// one JSON line per stage; `run.py` drives it beside the scikit-learn and fastText anchors.
import PackageDescription

let package = Package(
    name: "ArxivDigestBenchmarks",
    platforms: [.macOS(.v13)],
    dependencies: [
        .package(name: "ArxivDigest", path: ".."),
    ],
    targets: [
        .executableTarget(
            name: "arxiv-digest-bench",
            dependencies: [
                .product(name: "ArxivFeed", package: "ArxivDigest"),
                .product(name: "TextFeatures", package: "ArxivDigest"),
                .product(name: "Classifiers", package: "ArxivDigest"),
            ]
        ),
    ],
    swiftLanguageModes: [.v5]
)
