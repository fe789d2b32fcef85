import Foundation

/// A folder outside the checkout for slow reference outputs (sklearn runs) that tests keep across runs:
/// `$ARXIVDIGEST_CACHE`, else `$XDG_CACHE_HOME/arxiv-digest`, else `~/.cache/arxiv-digest`. Entries are named
/// by a hash of everything they depend on, so a stale entry is never read; deleting the folder is always safe.
public enum TestCache {
    public static let root: URL = {
        let environment = ProcessInfo.processInfo.environment
        if let path = environment["ARXIVDIGEST_CACHE"], !path.isEmpty { return URL(fileURLWithPath: path) }
        if let path = environment["XDG_CACHE_HOME"], !path.isEmpty {
            return URL(fileURLWithPath: path).appendingPathComponent("arxiv-digest")
        }
        return FileManager.default.homeDirectoryForCurrentUser.appendingPathComponent(".cache/arxiv-digest")
    }()
}
