import AtomicFiles
import Foundation
import Glibc
import Testing

@Suite("DescriptorIO")
struct DescriptorIOTests {
    @Test("a pipe carries 1 MiB through writeAll and read, byte for byte, to the end of input")
    func roundTripThroughPipe() throws {
        var ends: [Int32] = [0, 0]
        try #require(pipe(&ends) == 0)
        let readEnd = ends[0], writeEnd = ends[1]
        let sent = (0..<(1 << 20)).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ $0 >> 11) }
        // The pipe holds 64 KiB, so the writer blocks until the reader drains it: a thread of its own.
        let writer = Thread {
            let failure = sent.withUnsafeBytes { DescriptorIO.writeAll(writeEnd, $0) }
            precondition(failure == nil, "writeAll failed: \(failure.map { String(cString: strerror($0)) } ?? "")")
            close(writeEnd)
        }
        writer.start()
        var received: [UInt8] = [], chunk = [UInt8](repeating: 0, count: 10_000)
        while true {
            let (count, error) = chunk.withUnsafeMutableBytes { DescriptorIO.read(readEnd, into: $0.baseAddress!, count: $0.count) }
            try #require(count >= 0, "read failed: \(String(cString: strerror(error)))")
            if count == 0 { break }
            received += chunk[0..<count]
        }
        close(readEnd)
        #expect(received == sent)
    }

    @Test("a failed write returns its errno: ENOSPC on /dev/full")
    func fullDevice() throws {
        let descriptor = open("/dev/full", O_WRONLY)
        try #require(descriptor >= 0)
        defer { close(descriptor) }
        let failure = [UInt8](repeating: 7, count: 100).withUnsafeBytes { DescriptorIO.writeAll(descriptor, $0) }
        #expect(failure == ENOSPC)
    }

    @Test("a failed read returns -1 and its errno: EBADF on a write-only descriptor")
    func writeOnlyDescriptor() throws {
        let descriptor = open("/dev/null", O_WRONLY)
        try #require(descriptor >= 0)
        defer { close(descriptor) }
        var byte: UInt8 = 0
        let result = DescriptorIO.read(descriptor, into: &byte, count: 1)
        #expect(result.count == -1 && result.error == EBADF)
    }

    @Test("writing nothing makes no system call: even a closed descriptor is no failure")
    func emptyWrite() {
        #expect(DescriptorIO.writeAll(-1, UnsafeRawBufferPointer(start: nil, count: 0)) == nil)
    }
}
