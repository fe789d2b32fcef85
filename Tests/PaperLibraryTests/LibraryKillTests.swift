import Foundation
import Glibc
import Testing
import TestSupport
import PaperLibrary

/// A child process commits to a library in a tight loop and is killed with SIGKILL mid-write:
/// every commit it reported survives, and the file passes SQLite's integrity check.
@Suite("paper library under SIGKILL")
struct LibraryKillTests {
    @Test("SIGKILL mid-write loses nothing committed and leaves a sound file", arguments: [1, 2, 3])
    func killMidWrite(round: Int) throws {
        let url = try SharedData.temporaryDirectory().appendingPathComponent("library.sqlite")
        let process = Process()
        process.executableURL = try ProcessRunner.builtProduct(named: "library-write-probe")
        process.arguments = [url.path]
        let output = Pipe()
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Read reported commits until a few dozen (varying by round) are in, then kill at once.
        let target = 20 * round
        var reported = 0
        var buffer = Data()
        while reported < target {
            let chunk = output.fileHandleForReading.availableData
            if chunk.isEmpty { break }
            buffer.append(chunk)
            let lines = String(decoding: buffer, as: UTF8.self).split(separator: "\n")
            reported = lines.last.flatMap { Int($0) } ?? reported
        }
        try #require(process.isRunning, "the probe stopped before it could be killed")
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)
        // Anything printed after our last read was committed too: read the rest of the pipe.
        buffer.append(output.fileHandleForReading.readDataToEndOfFile())
        reported = String(decoding: buffer, as: UTF8.self).split(separator: "\n").last.flatMap { Int($0) } ?? reported
        #expect(reported >= target)

        let library = try PaperLibrary(url: url)
        #expect(try library.integrityCheck() == "ok")
        let labels = try library.labels()
        #expect(labels.count >= reported, "\(labels.count) labels survive, \(reported) were reported committed")
        #expect(labels.count <= reported + 1)
        #expect(labels.map(\.paperID) == (0..<labels.count).map { "probe.\($0)" })
        // The library still takes writes.
        try library.addLabel(paperID: "probe.0", label: "general", who: "test", at: Date())
    }
}
