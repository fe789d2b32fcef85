import Foundation
import Glibc
import Testing
import TestSupport

/// `classify --output` killed with SIGKILL mid-run: the old output survives whole, and the next run
/// clears the killed run's temporary file.
@Suite("atomic output under SIGKILL")
struct KillTests {
    static let recordCount = 50_000

    /// ~50k records: the sample records cycled, each with a new id.
    static func bigInput() throws -> Data {
        let templates = try JSONLines.sampleLines().map { line -> String in
            var object = try JSONLines.object(line)
            object["id"] = "@ID@"
            return try JSONLines.line(object)
        }
        var text = ""
        text.reserveCapacity(templates.map(\.utf8.count).reduce(0, +) * recordCount / templates.count + recordCount * 4)
        for index in 0..<recordCount {
            let id = "8888." + String(repeating: "0", count: 5 - String(index).count) + String(index)
            text += templates[index % templates.count].replacingOccurrences(of: "@ID@", with: id)
            text += "\n"
        }
        return Data(text.utf8)
    }

    @Test("SIGKILL during classify leaves the previous output intact; the next run leaves no stray file")
    func killDuringClassify() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        try scratch.write("big.jsonl", try Self.bigInput())
        try scratch.write("out.jsonl", goodContent)
        let model = try TrainedModels.sample()
        let arguments = ["classify", "--papers", scratch.path("big.jsonl"), "--model", model.path, "--output", scratch.path("out.jsonl")]

        let process = Process()
        process.executableURL = try ProcessRunner.arxivDigestBinary()
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        // Kill once the temporary file holds some output (or after 0.3 s at the latest once it exists),
        // so the kill lands in the middle of writing.
        let start = Date()
        var partialSeen: Date?
        while process.isRunning, Date().timeIntervalSince(start) < 30 {
            let partials = try scratch.listing().filter { $0.hasPrefix(".out.jsonl.partial-") }
            if let name = partials.first {
                partialSeen = partialSeen ?? Date()
                let size = (try? FileManager.default.attributesOfItem(atPath: scratch.path(name))[.size] as? Int) ?? 0
                if size > 0 || Date().timeIntervalSince(partialSeen!) > 0.3 { break }
            }
            Thread.sleep(forTimeInterval: 0.01)
        }
        try #require(process.isRunning, "classify finished before it could be killed; make the input bigger")
        kill(process.processIdentifier, SIGKILL)
        process.waitUntilExit()
        #expect(process.terminationReason == .uncaughtSignal)
        #expect(process.terminationStatus == SIGKILL)
        #expect(try scratch.text("out.jsonl") == goodContent, "the killed run changed the output")

        let again = try CLI.run(arguments)
        try #require(again.status == 0, CLI.describe(again))
        let files = try scratch.listing()
        #expect(files == ["big.jsonl", "out.jsonl"], "stray files: \(files)")
        let lines = JSONLines.lines(of: try scratch.read("out.jsonl"))
        #expect(lines.count == Self.recordCount)
        #expect(lines.last?.hasPrefix("{\"id\": \"8888.\(Self.recordCount - 1)\"") == true)
    }

    @Test("a signal the program was started with ignored (nohup, trap '' INT, a background job) stays ignored: the run completes",
          arguments: [SIGHUP, SIGINT, SIGQUIT])
    func inheritedIgnoredSignal(signalNumber: Int32) throws {
        let model = try TrainedModels.sample()
        let lines = try JSONLines.sampleLines()
        let process = Process()
        // `exec` keeps the ignored disposition `trap ''` gives, as nohup's own exec does.
        process.executableURL = URL(fileURLWithPath: "/bin/sh")
        process.arguments = ["-c", "trap '' \(signalNumber); exec \"$0\" \"$@\"", try ProcessRunner.arxivDigestBinary().path,
                             "classify", "--model", model.path, "--batch-size", "1"]
        let input = Pipe(), output = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        try input.fileHandleForWriting.write(contentsOf: Data((lines[0] + "\n").utf8))
        // Its first answer means start-up, where the signals are set up, is over.
        var received = Data()
        while !received.contains(UInt8(ascii: "\n")) {
            let piece = output.fileHandleForReading.availableData
            if piece.isEmpty { break }
            received += piece
        }
        try #require(received.contains(UInt8(ascii: "\n")), "classify gave no first answer")
        kill(process.processIdentifier, signalNumber)
        // A moment for a wrongly handled signal to end the run, which waits for its next line meanwhile (the
        // pass does not depend on it: a process that keeps the signal ignored passes however long this is).
        Thread.sleep(forTimeInterval: 0.2)
        // Only to a live process: a write to a dead one's pipe would raise SIGPIPE in the test runner.
        if process.isRunning { try? input.fileHandleForWriting.write(contentsOf: Data((lines[1] + "\n").utf8)) }
        try input.fileHandleForWriting.close()
        received += output.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        #expect(process.terminationReason == .exit, "ended by signal \(process.terminationStatus)")
        #expect(process.terminationStatus == 0)
        #expect(JSONLines.lines(of: received).count == 2)
    }
}
