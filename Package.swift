// swift-tools-version:6.1
// ArxivDigest: a daily arXiv digest sorted into topics by a trained text classifier.
//
// Data flows one way: Atom XML → Paper → tokens → sparse TF-IDF row → class scores → label → digest.
// Each step is a module, and each module imports only the ones before it.
import PackageDescription

// The sparse products' panel loop compiled again with AVX2 (x86-64 hosts only; LinearAlgebra calls it only
// on processors that report AVX2). `-mavx2` without `-mfma`: no fused multiply-adds, so the same bits.
#if arch(x86_64)
let avx2KernelSettings: [SwiftSetting] = [.unsafeFlags(["-Xcc", "-mavx2"])]
#else
let avx2KernelSettings: [SwiftSetting] = []
#endif

let package = Package(
    name: "ArxivDigest",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "arxiv-digest", targets: ["arxiv-digest"]),
        // The library API (README, "Use as a library"): each product is one module with one job.
        .library(name: "DigestProfile", targets: ["DigestProfile"]),
        .library(name: "TopicModel", targets: ["TopicModel"]),
        .library(name: "ArxivClient", targets: ["ArxivClient"]),
        .library(name: "ArxivFeed", targets: ["ArxivFeed"]),
        .library(name: "DigestRendering", targets: ["DigestRendering"]),
        .library(name: "Evaluation", targets: ["Evaluation"]),
        .library(name: "TextFeatures", targets: ["TextFeatures"]),
        .library(name: "Classifiers", targets: ["Classifiers"]),
        .library(name: "ModelStore", targets: ["ModelStore"]),
        .library(name: "SentenceEncoder", targets: ["SentenceEncoder"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/groue/GRDB.swift", exact: "7.10.0"),
        .package(url: "https://github.com/LebJe/TOMLKit", from: "0.6.0"),
        // SHA-256 of model files (BoringSSL's, with the processor's SHA instructions where present).
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        // MARK: - C system libraries (the only places that include C headers)
        .systemLibrary(
            name: "CLibXML2",
            pkgConfig: "libxml-2.0",
            providers: [.apt(["libxml2-dev"])]
        ),
        .systemLibrary(
            name: "CBLAS",
            providers: [.apt(["libblas-dev", "liblapacke-dev"])]
        ),
        // libcurl's easy interface, for ArxivClient's CurlTransport (flow control that bounds memory).
        .systemLibrary(
            name: "CCurl",
            pkgConfig: "libcurl",
            providers: [.apt(["libcurl4-openssl-dev"])]
        ),
        // glibc's <malloc.h> (mallopt), for the classify command's allocator tuning.
        .systemLibrary(name: "CMalloc"),

        // MARK: - Libraries, in data-flow order
        .target(name: "AtomicFiles"),
        .target(name: "SeededRandom"),
        .target(name: "ArxivFeed", dependencies: ["CLibXML2", "AtomicFiles"]),
        .target(name: "ArxivClient", dependencies: ["ArxivFeed", "SeededRandom", "CCurl"]),
        .target(name: "SparseKernelsAVX2", swiftSettings: avx2KernelSettings),
        .target(name: "LinearAlgebra", dependencies: ["CBLAS", "SparseKernelsAVX2"]),
        .target(name: "TextFeatures", dependencies: ["LinearAlgebra"]),
        .target(name: "Classifiers", dependencies: ["LinearAlgebra", "TextFeatures"]),
        .target(name: "ModelStore", dependencies: ["AtomicFiles", .product(name: "Crypto", package: "swift-crypto")]),
        .target(name: "Evaluation", dependencies: ["Classifiers", "LinearAlgebra", "ArxivFeed", "SeededRandom"]),
        // Optimised even in debug builds: the tests load 90 MB of weights and run the transformer,
        // which unoptimised Swift makes minutes instead of seconds.
        .target(name: "SentenceEncoder", dependencies: ["AtomicFiles", "LinearAlgebra", "ModelStore"], swiftSettings: [.unsafeFlags(["-O"])]),
        .target(name: "TopicModel", dependencies: ["ArxivFeed", "TextFeatures", "LinearAlgebra", "Classifiers", "ModelStore", "Evaluation", "SeededRandom", "SentenceEncoder"]),
        .target(name: "DigestRendering", dependencies: ["ArxivFeed"]),
        .target(name: "DigestProfile", dependencies: ["AtomicFiles", .product(name: "TOMLKit", package: "TOMLKit")]),
        // The paper library: what was fetched, shown, predicted and labelled, in SQLite.
        .target(name: "PaperLibrary", dependencies: ["ArxivFeed", "AtomicFiles", .product(name: "GRDB", package: "GRDB.swift")]),

        // MARK: - The command-line tool: a thin layer over the libraries
        .executableTarget(
            name: "arxiv-digest",
            dependencies: [
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
                "AtomicFiles", "ArxivFeed", "ArxivClient", "LinearAlgebra", "TextFeatures", "Classifiers",
                "ModelStore", "Evaluation", "TopicModel", "DigestRendering", "DigestProfile", "PaperLibrary", "SentenceEncoder",
                "CMalloc",
            ]
        ),

        // MARK: - Tests
        .target(name: "TestSupport", dependencies: ["SeededRandom"], path: "Tests/TestSupport"),
        // A child process for the SIGKILL tests: rewrites a file with AtomicFile.write in a loop.
        .executableTarget(name: "atomic-write-probe", dependencies: ["AtomicFiles"], path: "Tests/AtomicWriteProbe"),
        // A child process for the library's SIGKILL test: commits labels in a loop, reporting each.
        .executableTarget(name: "library-write-probe", dependencies: ["PaperLibrary", "ArxivFeed"], path: "Tests/LibraryWriteProbe"),
        .testTarget(name: "PaperLibraryTests", dependencies: ["PaperLibrary", "ArxivFeed", "TestSupport", "library-write-probe", .product(name: "GRDB", package: "GRDB.swift")]),
        .testTarget(name: "AtomicFilesTests", dependencies: ["AtomicFiles", "TestSupport", "atomic-write-probe"]),
        .testTarget(name: "ArxivFeedTests", dependencies: ["ArxivFeed", "SeededRandom", "TestSupport"], exclude: ["atom_reference.py"]),
        .testTarget(name: "ArxivClientTests", dependencies: ["ArxivClient", "ArxivFeed", "TestSupport"]),
        .testTarget(name: "TextFeaturesTests", dependencies: ["TextFeatures", "LinearAlgebra", "SeededRandom", "TestSupport"], exclude: ["Scripts"]),
        .testTarget(name: "ClassifiersTests", dependencies: ["Classifiers", "TextFeatures", "LinearAlgebra", "SeededRandom", "TestSupport"], exclude: ["Scripts"]),
        .testTarget(name: "ModelStoreTests", dependencies: ["ModelStore", "SeededRandom", "TestSupport"]),
        .testTarget(name: "SentenceEncoderTests", dependencies: ["SentenceEncoder", "ArxivFeed", "ModelStore", "TestSupport"], exclude: ["minilm_reference.py"]),
        .testTarget(name: "TopicModelTests", dependencies: ["TopicModel", "ArxivFeed", "ModelStore", "Classifiers", "DigestProfile", "Evaluation", "LinearAlgebra", "SentenceEncoder", "TestSupport"]),
        .testTarget(name: "EvaluationTests", dependencies: ["Evaluation", "Classifiers", "DigestProfile", "LinearAlgebra", "ArxivFeed", "SeededRandom", "TestSupport"], exclude: ["sklearn_reference.py"]),
        .testTarget(name: "DigestProfileTests", dependencies: ["DigestProfile", "TestSupport"]),
        .testTarget(name: "DigestRenderingTests", dependencies: ["DigestRendering", "DigestProfile", "ArxivFeed", "Classifiers", "SeededRandom", "TestSupport"]),
        // Reproducers of the bugs Tests/Fuzz found (the fuzzers themselves are a nested package there).
        .testTarget(name: "FuzzRegressionTests", dependencies: ["ArxivFeed"]),
        // The README's "Use as a library" example, compiled against the library products only.
        .testTarget(name: "LibraryExampleTests", dependencies: [
            "ArxivFeed", "DigestProfile", "DigestRendering", "TopicModel", "TestSupport", "arxiv-digest",
        ]),
        .testTarget(name: "CLITests", dependencies: ["arxiv-digest", "ArxivFeed", "DigestProfile", "DigestRendering", "TopicModel", "PaperLibrary", "TestSupport"], exclude: ["Scripts"]),
    ],
    swiftLanguageModes: [.v5]
)
