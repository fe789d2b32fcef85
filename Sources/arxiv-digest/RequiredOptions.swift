import ArgumentParser

/// Checks for options that must be given. swift-argument-parser runs `validate()` before it reports unknown options,
/// so a mistyped required option (`train --dat x`) was reported as missing ("Give the training data with --data …"),
/// without the parser's "Did you mean '--data'?". When parsing fails, `parseUnknownOptionsFirst` parses once more with
/// these checks off and reports that parse's error if it has one (an unknown option); any other error repeats itself.
enum RequiredOptions {
    /// Off only during that second parse, which runs on the main thread before anything else.
    nonisolated(unsafe) private(set) static var checked = true

    /// Throws `message` as a usage error unless `present` holds.
    static func require(_ present: Bool, _ message: @autoclosure () -> String) throws {
        guard checked, !present else { return }
        throw ValidationError(message())
    }

    /// `parse()`, or when it fails, the error of a parse without the required-option checks if that one fails too.
    static func parseUnknownOptionsFirst<Command>(_ parse: () throws -> Command) throws -> Command {
        do {
            return try parse()
        } catch let missing {
            checked = false
            defer { checked = true }
            do { _ = try parse() } catch { throw error }
            throw missing
        }
    }
}
