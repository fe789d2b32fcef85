import Foundation

/// Runs a program to completion and captures what it printed, for end-to-end and parity tests.
public struct ProcessResult: Sendable {
    public let status: Int32
    public let stdout: Data
    public let stderr: Data
    public var stdoutText: String { String(decoding: stdout, as: UTF8.self) }
    public var stderrText: String { String(decoding: stderr, as: UTF8.self) }
}

public enum ProcessRunner {
    /// How long one program may run before it is killed: far beyond any test's program, even on a loaded
    /// machine (the whole suite takes under 15 minutes there), so only a hang reaches it.
    public static let deadline: TimeInterval = 20 * 60

    /// Runs `executable` with `arguments`, feeding `input` on standard input.
    /// Output is collected on background threads so a chatty child never blocks on a full pipe.
    /// A program still running after ``deadline`` is killed and reported as ``TimedOut``, so a hang fails its
    /// test instead of holding up the whole run.
    public static func run(
        _ executable: URL, _ arguments: [String], input: Data? = nil,
        environment: [String: String]? = nil, currentDirectory: URL? = nil, timeout: TimeInterval = deadline
    ) throws -> ProcessResult {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        if let environment { process.environment = environment }
        if let currentDirectory { process.currentDirectoryURL = currentDirectory }
        let outPipe = Pipe(), errPipe = Pipe(), inPipe = Pipe()
        process.standardOutput = outPipe
        process.standardError = errPipe
        process.standardInput = inPipe
        try process.run()
        let group = DispatchGroup()
        nonisolated(unsafe) var out = Data(), err = Data()
        DispatchQueue.global().async(group: group) { out = outPipe.fileHandleForReading.readDataToEndOfFile() }
        DispatchQueue.global().async(group: group) { err = errPipe.fileHandleForReading.readDataToEndOfFile() }
        if let input { inPipe.fileHandleForWriting.write(input) }
        try? inPipe.fileHandleForWriting.close()
        let timedOut = waitForExit(process, within: timeout)
        group.wait()
        if timedOut {
            throw TimedOut(command: ([executable.lastPathComponent] + arguments).joined(separator: " "), seconds: timeout,
                           signal: process.terminationReason == .uncaughtSignal ? process.terminationStatus : nil,
                           stderr: String(decoding: err, as: UTF8.self))
        }
        return ProcessResult(status: process.terminationStatus, stdout: out, stderr: err)
    }

    /// Waits for `process` to end; one still running after `seconds` is killed (SIGKILL), so a program that hangs
    /// or ignores a signal fails its test (its termination reason then says SIGKILL) instead of hanging it.
    /// Returns whether it had to be killed.
    @discardableResult
    public static func waitForExit(_ process: Process, within seconds: TimeInterval) -> Bool {
        let deadline = Date().addingTimeInterval(seconds)
        while process.isRunning, Date() < deadline { Thread.sleep(forTimeInterval: 0.005) }
        let killed = process.isRunning
        if killed { kill(process.processIdentifier, SIGKILL) }
        process.waitUntilExit()
        return killed
    }

    /// Finds a program on `PATH`, e.g. `python3`.
    public static func which(_ name: String) -> URL? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for dir in path.split(separator: ":") {
            let candidate = URL(fileURLWithPath: String(dir)).appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        return nil
    }

    /// Runs a Python script (path relative to the package root) with `python3` from `PATH`.
    public static func python(_ script: String, _ arguments: [String], input: Data? = nil) throws -> ProcessResult {
        guard let python = which("python3") else { throw MissingProgram(name: "python3") }
        let scriptURL = SharedData.packageRoot.appendingPathComponent(script)
        return try run(python, [scriptURL.path] + arguments, input: input)
    }

    /// The built `arxiv-digest` binary beside the test bundle (SwiftPM builds it for CLITests).
    public static func arxivDigestBinary() throws -> URL {
        try builtProduct(named: "arxiv-digest")
    }

    /// An executable product built by this package, found beside the test bundle or in `.build/`.
    /// A test target must depend on the executable target for SwiftPM to build it first.
    public static func builtProduct(named name: String) throws -> URL {
        var url = Bundle.main.bundleURL
        for _ in 0..<4 {
            let candidate = url.appendingPathComponent(name)
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
            url.deleteLastPathComponent()
        }
        for config in ["debug", "release"] {
            let candidate = SharedData.packageRoot.appendingPathComponent(".build/\(config)/\(name)")
            if FileManager.default.isExecutableFile(atPath: candidate.path) { return candidate }
        }
        throw MissingProgram(name: "\(name) (build it with `swift build`)")
    }

    public struct TimedOut: Error, CustomStringConvertible {
        public let command: String
        public let seconds: TimeInterval
        /// The signal it died of (SIGKILL, unless it ended on its own between the deadline and the kill).
        public let signal: Int32?
        public let stderr: String
        public var description: String { "still running after \(seconds) s, killed: \(command)\n\(stderr.suffix(2000))" }
    }

    public struct MissingProgram: Error, CustomStringConvertible {
        public let name: String
        public var description: String { "program not found: \(name)" }
        public init(name: String) { self.name = name }
    }
}
