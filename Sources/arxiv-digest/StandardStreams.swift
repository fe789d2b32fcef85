import AtomicFiles
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Standard output and standard error, with every write checked: the one place the CLI writes to them.
///
/// - Standard output (`write`): a closed pipe (EPIPE, e.g. `| head`) throws `StandardStreams.BrokenPipe`, which
///   `main` turns into a quiet exit with status 141 (128 + SIGPIPE, what the shell reports for a process killed
///   by SIGPIPE); any other failure (`> /dev/full`, a closed descriptor) throws a `CLIError` naming it, so the
///   command stops with a message and a non-zero status. SIGPIPE is ignored, so a broken pipe is always seen as
///   EPIPE, whether or not the parent ignored the signal.
/// - Standard error (`log`, `logPart`): best effort. A failed write there is dropped, since there is nowhere to
///   report it, and never changes the outcome.
///
/// ```swift
/// try StandardStreams.write(Data(line.utf8))   // data
/// StandardStreams.log("wrote \(path)")           // progress, one line
/// ```
enum StandardStreams {
    /// Standard output's reader has gone away (EPIPE): stop quietly with `brokenPipeStatus`.
    struct BrokenPipe: Error {}

    /// The exit status after a broken pipe on standard output: 128 + SIGPIPE.
    static let brokenPipeStatus: Int32 = 141

    /// Prepares the process: ignores SIGPIPE, and puts `/dev/null` (read-only) on a closed descriptor 0, 1 or 2.
    /// The latter keeps a file opened later (an output's temporary file) from becoming "standard output" or
    /// "standard error" by taking the lowest free number, while writes to a closed stream still fail (EBADF).
    static func prepare() {
        signal(SIGPIPE, SIG_IGN)
        for descriptor in Int32(0)...2 where fcntl(descriptor, F_GETFD) == -1 && errno == EBADF {
            let opened = open("/dev/null", O_RDONLY)
            if opened >= 0 && opened != descriptor {
                dup2(opened, descriptor)
                close(opened)
            }
        }
    }

    /// Writes `data` to standard output, all of it.
    /// - Throws: `BrokenPipe` when the reader is gone, else a `CLIError` naming the failure.
    static func write(_ data: Data) throws {
        if let code = writeAll(STDOUT_FILENO, data) {
            if code == EPIPE { throw BrokenPipe() }
            throw CLIError("cannot write to standard output: \(String(cString: strerror(code)))")
        }
    }

    /// Writes `text` as UTF-8 to standard output.
    static func write(_ text: String) throws { try write(Data(text.utf8)) }

    /// Writes one message to standard error (a newline is added). Failures are dropped. Messages quote data
    /// (a label learned with --labels auto, a key of a profile, a paper id), so every one is made safe for a
    /// terminal here, once for all: its line breaks and tabs stay, other control characters show as symbols.
    @Sendable static func log(_ message: String) { logPart(TerminalText.safeMessage(message) + "\n") }

    /// Writes `text` to standard error as it is (progress redrawn with `\r`). Failures are dropped.
    @Sendable static func logPart(_ text: String) { _ = writeAll(STDERR_FILENO, Data(text.utf8)) }

    /// Writes every byte (`DescriptorIO.writeAll`); returns the errno of a failure, or nil.
    private static func writeAll(_ descriptor: Int32, _ data: Data) -> Int32? {
        data.withUnsafeBytes { DescriptorIO.writeAll(descriptor, $0) }
    }
}
