import ArgumentParser
import AtomicFiles
import Foundation

/// `--output FILE`: written atomically (all or nothing); standard output when absent.
struct OutputOptions: ParsableArguments {
    @Option(name: .shortAndLong, help: ArgumentHelp("Write here instead of standard output (atomically: an existing file is replaced only when the new one is complete).", valueName: "file"))
    var output: String?

    func emit(_ data: Data) throws {
        if let output {
            try AtomicFile.write(data, to: URL(fileURLWithPath: output))
        } else {
            FileHandle.standardOutput.write(data)
        }
    }

    func emit(_ text: String) throws { try emit(Data(text.utf8)) }
}

/// A failure the CLI reports as one line on standard error, exiting non-zero.
struct CLIError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}

/// Progress for the user: standard error, so standard output stays clean for data.
@Sendable func logToStandardError(_ message: String) {
    FileHandle.standardError.write(Data((message + "\n").utf8))
}
