import Foundation

/// Locates the project's files and the read-only `../shared` folder beside the checkout,
/// where the datasets, fixtures and seeds live. `ARXIVDIGEST_SHARED` overrides the latter.
public enum SharedData {
    /// The package root (the folder holding Package.swift).
    public static let packageRoot: URL = {
        var url = URL(fileURLWithPath: #filePath)
        while url.path != "/" {
            url.deleteLastPathComponent()
            if FileManager.default.fileExists(atPath: url.appendingPathComponent("Package.swift").path) {
                return url
            }
        }
        fatalError("Package.swift not found above \(#filePath)")
    }()

    /// The `shared` folder: `$ARXIVDIGEST_SHARED`, else `../shared` beside the package root.
    public static let root: URL = {
        if let path = ProcessInfo.processInfo.environment["ARXIVDIGEST_SHARED"], !path.isEmpty {
            return URL(fileURLWithPath: path)
        }
        return packageRoot.deletingLastPathComponent().appendingPathComponent("shared")
    }()

    /// A file below `shared/`, e.g. `SharedData.url("fixtures/atom/empty-result-id-0000.0000.xml")`.
    public static func url(_ relativePath: String) -> URL { root.appendingPathComponent(relativePath) }

    /// The bytes of a file below `shared/`.
    public static func data(_ relativePath: String) throws -> Data { try Data(contentsOf: url(relativePath)) }

    /// Every Atom fixture file name in `shared/fixtures/atom/`, sorted.
    public static func atomFixtureNames() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: url("fixtures/atom").path)
            .filter { $0.hasSuffix(".xml") }.sorted()
    }

    /// A fresh empty temporary directory for one test.
    public static func temporaryDirectory() throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("arxivdigest-test-" + UUID().uuidString)
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
