import Foundation
import Glibc
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

    @Test("flush puts the bytes on disk but not in place; commit then only renames")
    func flushThenCommit() throws {
        let dir = try SharedData.temporaryDirectory()
        let first = dir.appendingPathComponent("index.html"), second = dir.appendingPathComponent("feed.xml")
        try AtomicFile.write("old page\n", to: first)
        try AtomicFile.write("old feed\n", to: second)
        // Two files replaced together, as digest's pages are: both flushed before either is renamed.
        let writers = try [first, second].map { try AtomicFileWriter(replacing: $0) }
        for (writer, text) in zip(writers, ["new page\n", "new feed\n"]) { try writer.write(Data(text.utf8)) }
        for writer in writers { try writer.flush() }
        #expect(try String(contentsOf: first, encoding: .utf8) == "old page\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).count == 4, "two targets and two flushed temporaries")
        for writer in writers { try writer.commit() }
        #expect(try String(contentsOf: first, encoding: .utf8) == "new page\n")
        #expect(try String(contentsOf: second, encoding: .utf8) == "new feed\n")
        #expect(Set(try FileManager.default.contentsOfDirectory(atPath: dir.path)) == ["index.html", "feed.xml"])
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

    @Test("a target whose name is near the 255-byte limit is written: the temporary name is cut, not the target's")
    func longName() throws {
        let dir = try SharedData.temporaryDirectory()
        let name = String(repeating: "é", count: 120) + ".md"  // 243 bytes
        let target = dir.appendingPathComponent(name)
        try AtomicFile.write("one\n", to: target)
        try AtomicFile.write("two\n", to: target)
        #expect(try String(contentsOf: target, encoding: .utf8) == "two\n")
        #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == [name])
        #expect(AtomicFile.shortened(name).utf8.count == 180 && name.hasPrefix(AtomicFile.shortened(name)))
    }

    @Test("createFolder makes every missing folder of a path and names what is in the way")
    func createFolder() throws {
        let dir = try SharedData.temporaryDirectory()
        let nested = dir.appendingPathComponent("a/b/c").path
        try OutputPath.createFolder(nested)
        try OutputPath.createFolder(nested)  // an existing folder is fine
        var isFolder: ObjCBool = false
        #expect(FileManager.default.fileExists(atPath: nested, isDirectory: &isFolder) && isFolder.boolValue)

        try AtomicFile.write("x\n", to: dir.appendingPathComponent("file"))
        #expect(mkfifo(dir.appendingPathComponent("fifo").path, 0o600) == 0)
        for (path, blocker, what) in [("file/sub", "file", "a file"), ("file", "file", "a file"), ("fifo/sub", "fifo", "a FIFO (named pipe)")] {
            let full = dir.appendingPathComponent(path).path
            #expect {
                try OutputPath.createFolder(full)
            } throws: { error in
                "\(error)" == "cannot create the folder \(full): \(dir.appendingPathComponent(blocker).path) is \(what), not a folder"
            }
        }
    }

    @Test("a path that reaches a pipe through /proc's links (/dev/stdout into a pipe) is refused as a FIFO")
    func pipeThroughProcLink() throws {
        var ends: [Int32] = [0, 0]
        try #require(pipe(&ends) == 0)
        defer { close(ends[0]); close(ends[1]) }
        // /proc/self/fd/N links to "pipe:[inode]", which is no path: only the kernel can follow it.
        let target = URL(fileURLWithPath: "/proc/self/fd/\(ends[1])")
        #expect {
            _ = try OutputPath(target)
        } throws: { error in
            "\(error)".contains("a FIFO (named pipe), not a regular file")
        }
    }

    @Test("a path that reaches a regular file through /proc's links (/dev/stdout appended to a log) is refused; the file is kept")
    func fileThroughProcLink() throws {
        let dir = try SharedData.temporaryDirectory()
        let log = dir.appendingPathComponent("run.log")
        try Data("before\n".utf8).write(to: log)
        let handle = try FileHandle(forWritingTo: log)
        defer { try? handle.close() }
        // Any spelling: /proc itself, /dev/fd (a link to it), and a link of one's own to the fd folder.
        let fdFolderLink = dir.appendingPathComponent("fds")
        try FileManager.default.createSymbolicLink(atPath: fdFolderLink.path, withDestinationPath: "/proc/self/fd")
        for path in ["/proc/self/fd/\(handle.fileDescriptor)", "/dev/fd/\(handle.fileDescriptor)", "\(fdFolderLink.path)/\(handle.fileDescriptor)"] {
            #expect {
                try AtomicFile.write(Data("digest\n".utf8), to: URL(fileURLWithPath: path))
            } throws: { error in
                "\(error)".contains("to a file a process has open") && (error as? AtomicFile.WriteError)?.isOpenStream == true
            }
        }
        #expect(try String(contentsOf: log, encoding: .utf8) == "before\n")
        // A real file in a folder under /dev (tmpfs) is an ordinary output.
        if FileManager.default.fileExists(atPath: "/dev/shm") {
            let shm = URL(fileURLWithPath: "/dev/shm/arxiv-digest-test-\(getpid()).txt")
            defer { unlink(shm.path) }
            try AtomicFile.write(Data("ok\n".utf8), to: shm)
            #expect(try String(contentsOf: shm, encoding: .utf8) == "ok\n")
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

    // A terminating signal removes the registered files; one created but not yet registered would be left.
    @Test("a writer's temporary file is registered for the signal handler from its creation until commit")
    func registeredWhileWritten() throws {
        let dir = try SharedData.temporaryDirectory()
        let target = dir.appendingPathComponent("digest.html")
        let writer = try AtomicFileWriter(replacing: target)
        let temporaries = try FileManager.default.contentsOfDirectory(atPath: dir.path)
        #expect(temporaries.count == 1)
        let registered = TemporaryFileRegistry.paths.filter { $0.hasPrefix(dir.path + "/") }
        #expect(registered.map { URL(fileURLWithPath: $0).lastPathComponent } == temporaries)
        try writer.write(Data("<p>new</p>\n".utf8))
        try writer.commit()
        #expect(TemporaryFileRegistry.paths.filter { $0.hasPrefix(dir.path + "/") }.isEmpty)
    }

    @Test("a temporary file that cannot be created is not registered, and open's errno is kept")
    func failedCreateRegistersNothing() throws {
        let dir = try SharedData.temporaryDirectory()
        let path = dir.appendingPathComponent("missing/.x.partial-1").path
        errno = 0
        let descriptor = TemporaryFileRegistry.create(path) { open(path, O_WRONLY | O_CREAT | O_EXCL, 0o644) }
        let code = errno
        #expect(descriptor == -1)
        #expect(code == ENOENT)
        #expect(!TemporaryFileRegistry.paths.contains(path))
    }
}
