import Foundation

/// Finds the files that ship with the program (the default profile and its model): in a `Models/` folder
/// above the executable (so `swift run` and `.build/…/arxiv-digest` find the checkout's), else in
/// `<prefix>/share/arxiv-digest/` when the executable is `<prefix>/bin/arxiv-digest` (an installed copy).
/// Never in the working folder: a daily job's digest must not depend on where it was started.
enum ShippedResources {
    /// The shipped profile's file name.
    static let defaultProfileName = "open-neuromorphic.toml"

    /// The folders searched, in order.
    static func folders() -> [URL] {
        var folders: [URL] = []
        let executable = (Bundle.main.executableURL ?? URL(fileURLWithPath: CommandLine.arguments[0])).resolvingSymlinksInPath()
        var folder = executable.deletingLastPathComponent()
        let binFolder = folder
        while folder.path != "/" {
            folders.append(folder.appendingPathComponent("Models", isDirectory: true))
            folder.deleteLastPathComponent()
        }
        if binFolder.lastPathComponent == "bin" {
            folders.append(binFolder.deletingLastPathComponent().appendingPathComponent("share/arxiv-digest", isDirectory: true))
        }
        return folders
    }

    /// The first `name` found in ``folders()``, or nil.
    static func locate(_ name: String) -> URL? {
        folders().lazy.map { $0.appendingPathComponent(name) }.first { FileManager.default.fileExists(atPath: $0.path) }
    }
}
