import AtomicFiles
import Foundation

/// Reads a byte stream in chunks and hands out its lines one at a time, so memory stays bounded by
/// the chunk size plus the longest line. Lines end at "\n"; a trailing "\r" is dropped; the last line
/// may lack its "\n".
struct JSONLineSplitter {
    private let handle: FileHandle
    private let chunkSize: Int
    private let maxLineBytes: Int
    /// Bytes read so far are `buffer[start..<end]`; the rest of `buffer` is room for the next read.
    private var buffer: [UInt8] = []
    private var end = 0
    /// Start of the unread part of `buffer`, and how far past it we already know there is no "\n".
    private var start = 0
    private var scanned = 0
    private var reachedEnd = false
    /// The 1-based number of the line last returned.
    private(set) var lineNumber = 0
    /// Bytes read from the handle so far.
    private(set) var bytesRead = 0

    /// Thrown when a line exceeds `maxLineBytes`, or reading fails.
    enum Failure: Error {
        case lineTooLong(line: Int, limit: Int)
        case readFailed(String)
    }

    init(handle: FileHandle, chunkSize: Int, maxLineBytes: Int) {
        self.handle = handle
        self.chunkSize = max(chunkSize, 1)
        self.maxLineBytes = maxLineBytes
    }

    /// Calls `body` with the next line's bytes (valid only during the call) and its 1-based number;
    /// nil at the end.
    mutating func withNextLine<T>(_ body: (UnsafeBufferPointer<UInt8>, Int) throws -> T) throws -> T? {
        while true {
            if let newline = findNewline() {
                return try deliverLine(endingAt: newline, next: newline + 1, body)
            }
            // The limit applies to the line without its line end; a pending "\r" may be the start of one.
            var pending = end - start
            if pending > 0 && buffer[end - 1] == 0x0D { pending -= 1 }
            if pending > maxLineBytes {
                throw Failure.lineTooLong(line: lineNumber + 1, limit: maxLineBytes)
            }
            if reachedEnd {
                guard start < end else { return nil }
                return try deliverLine(endingAt: end, next: end, body)
            }
            try refill()
        }
    }

    /// Hands the line from `start` to `lineEnd` (a "\r" before it dropped) to `body`, then moves on to
    /// `next`. The length check is here so that it does not depend on how the input was chunked.
    private mutating func deliverLine<T>(
        endingAt lineEnd: Int, next: Int, _ body: (UnsafeBufferPointer<UInt8>, Int) throws -> T
    ) throws -> T {
        var end = lineEnd
        if end > start && buffer[end - 1] == 0x0D { end -= 1 }
        guard end - start <= maxLineBytes else {
            throw Failure.lineTooLong(line: lineNumber + 1, limit: maxLineBytes)
        }
        let lineStart = start
        start = next
        scanned = max(scanned, start)
        lineNumber += 1
        let number = lineNumber
        return try buffer.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[lineStart..<end]), number) }
    }

    private mutating func findNewline() -> Int? {
        let from = scanned, end = self.end
        let found = buffer.withUnsafeBufferPointer { pointer -> Int? in
            guard from < end, let base = pointer.baseAddress,
                  let hit = memchr(base + from, 0x0A, end - from) else { return nil }
            return UnsafeRawPointer(hit) - UnsafeRawPointer(base)
        }
        if found == nil { scanned = end }
        return found
    }

    /// Reads up to `chunkSize` more bytes with one read(2) straight into `buffer`, after moving the
    /// unread part to its front. (FileHandle.read(upToCount:) issues a system call per 4 KiB on Linux
    /// and copies through a Data: 18,000 calls for a 76 MB file.)
    private mutating func refill() throws {
        if start > 0 {
            let unread = end - start
            if unread > 0 {
                buffer.withUnsafeMutableBytes { bytes in
                    bytes.baseAddress!.copyMemory(from: bytes.baseAddress! + start, byteCount: unread)
                }
            }
            scanned -= start
            end = unread
            start = 0
        }
        if buffer.count - end < chunkSize {
            buffer.append(contentsOf: repeatElement(0, count: end + chunkSize - buffer.count))
        }
        let descriptor = handle.fileDescriptor, offset = end, room = chunkSize
        let (count, error) = buffer.withUnsafeMutableBytes { bytes in
            DescriptorIO.read(descriptor, into: bytes.baseAddress! + offset, count: room)
        }
        guard count >= 0 else { throw Failure.readFailed(String(cString: strerror(error))) }
        guard count > 0 else {
            reachedEnd = true
            return
        }
        end += count
        bytesRead += count
    }
}
