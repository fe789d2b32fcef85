import Foundation
import Testing
import TestSupport
@testable import AtomicFiles

@Suite("AtomicFile")
struct AtomicFileTests {
    @Test("replaces the contents and leaves no temporary file")
    func replaces() throws {
        let dir = try SharedData.temporaryDirectory()
        let target = dir.appendingPathComponent("digest.md")
        try AtomicFile.write("old\n", to: target)
        try AtomicFile.write("new\n", to: target)
        #expect(try String(contentsOf: target, encoding: .utf8) == "new\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["digest.md"])
    }

    @Test("a write into a missing folder fails and names the path")
    func missingFolder() throws {
        let target = URL(fileURLWithPath: "/nonexistent-\(UUID().uuidString)/out.md")
        #expect {
            try AtomicFile.write("x", to: target)
        } throws: { error in
            "\(error)".contains(target.path)
        }
    }

    @Test("a temporary file left by a dead writer is removed; a live writer's is kept")
    func staleTemporaries() throws {
        let dir = try SharedData.temporaryDirectory()
        let target = dir.appendingPathComponent("topics.model")
        let prefix = AtomicFile.temporaryPrefix(for: target)
        // pid 2^22 + 1 exceeds Linux's pid_max ceiling, so no process can own it.
        let dead = dir.appendingPathComponent(prefix + "4194305-abc")
        let live = dir.appendingPathComponent(prefix + "\(getpid())-def")
        try Data("partial".utf8).write(to: dead)
        try Data("partial".utf8).write(to: live)
        try AtomicFile.write("model", to: target)
        let names = Set(try FileManager.default.contentsOfDirectory(atPath: dir.path))
        #expect(names == ["topics.model", live.lastPathComponent])
    }
}
