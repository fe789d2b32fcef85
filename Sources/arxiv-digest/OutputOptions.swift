import ArgumentParser
import AtomicFiles
import Foundation

/// `--output FILE`: written atomically (all or nothing); standard output when absent or `-`.
struct OutputOptions: ParsableArguments {
    @Option(name: .shortAndLong, help: ArgumentHelp("Write here instead of standard output (atomically: an existing file is replaced only when the new one is complete; a symbolic link keeps pointing where it points and its target is replaced, keeping its permissions). Only a regular file, a new name, or - for standard output.", valueName: "file"))
    var output: String?

    /// The file to write, or nil for standard output.
    var file: String? { output == "-" ? nil : output }

    /// Checks, before any work, that the output can be written and is none of `inputs`.
    func check(inputs: [OutputGuard.Input]) throws {
        try OutputGuard.check(output, option: "--output", inputs: inputs)
    }

    func emit(_ data: Data) throws {
        if let file {
            try AtomicFile.write(data, to: URL(fileURLWithPath: file))
        } else {
            try StandardStreams.write(data)
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
    StandardStreams.log(message)
}
