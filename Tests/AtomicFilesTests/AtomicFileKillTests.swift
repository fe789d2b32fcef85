import Foundation
import Testing
import TestSupport
@testable import AtomicFiles

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Crash safety: a child process (`atomic-write-probe`) rewrites a large file over and over and is
/// killed with SIGKILL at different points of a write. The target must hold the old or the new
/// content, complete, and the next write must clear away the dead writer's temporary file.
@Suite("AtomicFile under SIGKILL")
struct AtomicFileKillTests {
    static let size = 32 * 1024 * 1024
    static let old = Data(repeating: 0x41, count: size)  // "A…", written by the test
    static let new = Data(repeating: 0x42, count: size)  // "B…", written by the probe

    @Test("a writer killed mid-write leaves the old or the new file, and its leftovers are removed")
    func killedMidWrite() throws {
        let probe = try ProcessRunner.builtProduct(named: "atomic-write-probe")
        let dir = try SharedData.temporaryDirectory()
        defer { try? FileManager.default.removeItem(at: dir) }
        let target = dir.appendingPathComponent("topics.model")
        var killsMidWrite = 0
        var outcomes: [String] = []

        // Each round kills the probe when its temporary file has reached a different fraction of the size.
        for round in 0..<5 {
            try AtomicFile.write(Self.old, to: target)
            let process = Process()
            process.executableURL = probe
            process.arguments = [target.path, String(Self.size), "66"]
            process.standardOutput = FileHandle.nullDevice
            try process.run()
            let pid = process.processIdentifier
            let reached = waitForTemporary(of: pid, beside: target, atLeast: Self.size * round / 5)
            kill(pid, SIGKILL)
            process.waitUntilExit()
            #expect(reached, "round \(round): the probe never got that far within the time limit")
            #expect(process.terminationReason == .uncaughtSignal && process.terminationStatus == SIGKILL)

            let content = try Data(contentsOf: target)
            #expect(content == Self.old || content == Self.new,
                    "round \(round): target has \(content.count) bytes, neither the old nor the new content")
            outcomes.append(content == Self.new ? "new" : content == Self.old ? "old" : "mixed")
            if !temporaries(of: pid, beside: target).isEmpty { killsMidWrite += 1 }

            // The next write removes the dead writer's partial file and leaves only the target.
            try AtomicFile.write(Self.old, to: target)
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["topics.model"],
                    "round \(round): stray files after the next write")
            #expect(try Data(contentsOf: target) == Self.old)
        }
        // Every round saw the probe's temporary file before the kill; most kills land inside a write.
        #expect(killsMidWrite > 0, "no kill landed while a temporary file existed (outcomes: \(outcomes))")
    }

    /// Polls until a temporary file of `pid` beside `target` holds at least `bytes` bytes.
    private func waitForTemporary(of pid: Int32, beside target: URL, atLeast bytes: Int) -> Bool {
        let deadline = Date().addingTimeInterval(20)
        while Date() < deadline {
            for url in temporaries(of: pid, beside: target) {
                let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? Int) ?? nil
                if let size, size >= bytes { return true }
            }
            usleep(200)
        }
        return false
    }

    private func temporaries(of pid: Int32, beside target: URL) -> [URL] {
        let dir = target.deletingLastPathComponent()
        let prefix = AtomicFile.temporaryPrefix(for: target) + "\(pid)-"
        let names = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
        return names.filter { $0.hasPrefix(prefix) }.map { dir.appendingPathComponent($0) }
    }
}
