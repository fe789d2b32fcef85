import Foundation

/// A finished child process and the most memory it ever held resident.
public struct MeasuredProcessResult: Sendable {
    public let result: ProcessResult
    /// The child's peak resident set size (`ru_maxrss` from `wait4`), in bytes.
    public let peakResidentBytes: Int
    public var peakResidentMiB: Double { Double(peakResidentBytes) / Double(1 << 20) }
}

extension ProcessRunner {
    /// Runs `executable` to completion like `run` and reports its peak resident memory.
    ///
    /// The peak is the kernel's account of that one process (`wait4`'s `ru_maxrss`), so it does not depend on
    /// when it is read, nor on other tests. It cannot be taken for a child of this test process: Linux counts
    /// the spawning process's own peak into a child's `ru_maxrss` at `exec` (posix_spawn shares the parent's
    /// memory until then), and a test process can be far larger than the program measured. So a small
    /// `python3` (about 14 MiB) spawns the program, waits for it with `os.wait4`, and writes the figure to a file.
    public static func runMeasuringPeakMemory(_ executable: URL, _ arguments: [String]) throws -> MeasuredProcessResult {
        guard let python = which("python3") else { throw MissingProgram(name: "python3") }
        let folder = try SharedData.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: folder) }
        let peakFile = folder.appendingPathComponent("peak-kib")
        let script = """
            import os, sys
            pid = os.posix_spawn(sys.argv[2], sys.argv[2:], os.environ)
            _, status, usage = os.wait4(pid, 0)
            open(sys.argv[1], "w").write(str(usage.ru_maxrss))
            sys.exit(os.waitstatus_to_exitcode(status))
            """
        let result = try run(python, ["-c", script, peakFile.path, executable.path] + arguments)
        let text = (try? String(contentsOf: peakFile, encoding: .utf8)) ?? ""
        guard let kibibytes = Int(text) else { throw PeakNotMeasured(stderr: result.stderrText) }
        return MeasuredProcessResult(result: result, peakResidentBytes: kibibytes * 1024)  // Linux: ru_maxrss in KiB
    }

    /// The measuring wrapper wrote no figure (it could not start the program).
    public struct PeakNotMeasured: Error, CustomStringConvertible {
        public let stderr: String
        public var description: String { "no peak memory measured: \(stderr.prefix(600))" }
    }
}
