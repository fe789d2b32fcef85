import ArgumentParser
import AtomicFiles
import Foundation
import Glibc

extension ArxivDigestCommand {
    /// ArgumentParser's `main`, with the process prepared first and every message written through the checked
    /// `StandardStreams`: a broken pipe ends quietly with 141, a failed write is an error, never a crash.
    static func main() {
        StandardStreams.prepare()
        TemporaryFileRegistry.removeOnTerminatingSignals()
        do {
            var command = try RequiredOptions.parseUnknownOptionsFirst { try parseAsRoot() }
            try command.run()
        } catch is StandardStreams.BrokenPipe {
            Glibc.exit(StandardStreams.brokenPipeStatus)
        } catch {
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            if code == .success {
                // --help and --version: their text is the command's output.
                do {
                    if !message.isEmpty { try StandardStreams.write(message + "\n") }
                } catch is StandardStreams.BrokenPipe {
                    Glibc.exit(StandardStreams.brokenPipeStatus)
                } catch {
                    StandardStreams.log("Error: \(error)")
                    Glibc.exit(ExitCode.failure.rawValue)
                }
            } else if !message.isEmpty {
                StandardStreams.log(message)
            }
            Glibc.exit(code.rawValue)
        }
    }
}
