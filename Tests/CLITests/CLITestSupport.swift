import Foundation
import Testing
import TestSupport

/// Runs the built `arxiv-digest` binary, the way a user would.
enum CLI {
    static func run(
        _ arguments: [String], input: Data? = nil, currentDirectory: URL? = nil
    ) throws -> ProcessResult {
        try ProcessRunner.run(ProcessRunner.arxivDigestBinary(), arguments, input: input, currentDirectory: currentDirectory)
    }

    /// `run` on a Dispatch thread, so a test that mostly waits (retries, timeouts) does not hold one of the
    /// few threads Swift Testing runs tests on.
    static func runDetached(_ arguments: [String], input: Data? = nil) async throws -> ProcessResult {
        try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try run(arguments, input: input) })
            }
        }
    }

    /// A one-line summary for failure messages.
    static func describe(_ result: ProcessResult) -> Comment {
        "exit \(result.status); stderr: \(result.stderrText.prefix(600))"
    }
}

/// Models trained once per test process by the CLI itself, shared by every test that needs one.
enum TrainedModels {
    /// Trained on the 16 sample records (fast; 35 terms).
    static func sample() throws -> URL { try sampleModel.get() }

    /// Trained on the first 300 records of the shared training set (a realistic vocabulary).
    static func subset() throws -> URL { try subsetModel.get() }

    /// The first 300 records of `../shared/datasets/topics/train.jsonl`, written once to a temp file.
    static func subsetData() throws -> URL { try subsetFile.get() }

    private static let folder: Result<URL, Error> = Result { try SharedData.temporaryDirectory() }

    private static let sampleModel: Result<URL, Error> = Result {
        let output = try folder.get().appendingPathComponent("sample.model")
        try train(data: SharedData.packageRoot.appendingPathComponent("Datasets/samples/labelled-papers.jsonl"), to: output)
        return output
    }

    private static let subsetFile: Result<URL, Error> = Result {
        let lines = try String(decoding: SharedData.data("datasets/topics/train.jsonl"), as: UTF8.self)
            .split(separator: "\n", omittingEmptySubsequences: true).prefix(300)
        let url = try folder.get().appendingPathComponent("subset300.jsonl")
        try Data((lines.joined(separator: "\n") + "\n").utf8).write(to: url)
        return url
    }

    private static let subsetModel: Result<URL, Error> = Result {
        let output = try folder.get().appendingPathComponent("subset300.model")
        try train(data: subsetFile.get(), to: output)
        return output
    }

    private static func train(data: URL, to output: URL) throws {
        let result = try CLI.run(["train", "--data", data.path, "--output", output.path])
        guard result.status == 0 else { throw TrainingFailed(stderr: result.stderrText) }
    }

    struct TrainingFailed: Error, CustomStringConvertible {
        let stderr: String
        var description: String { "arxiv-digest train failed: \(stderr)" }
    }
}

/// Files for one test in a fresh temporary folder.
struct Scratch {
    let folder: URL

    init() throws { folder = try SharedData.temporaryDirectory() }

    func url(_ name: String) -> URL { folder.appendingPathComponent(name) }

    func path(_ name: String) -> String { url(name).path }

    /// A file of `bytes` zero bytes that takes no disk space (sparse), for the limits on an input's size; its path.
    func sparseFile(_ name: String, bytes: Int) throws -> String {
        try #require(FileManager.default.createFile(atPath: path(name), contents: nil))
        try #require(truncate(path(name), off_t(bytes)) == 0, "truncate: \(String(cString: strerror(errno)))")
        return path(name)
    }

    @discardableResult
    func write(_ name: String, _ text: String) throws -> URL {
        try write(name, Data(text.utf8))
    }

    @discardableResult
    func write(_ name: String, _ data: Data) throws -> URL {
        let target = url(name)
        try data.write(to: target)
        return target
    }

    func read(_ name: String) throws -> Data { try Data(contentsOf: url(name)) }

    func text(_ name: String) throws -> String { String(decoding: try read(name), as: UTF8.self) }

    /// Names in the folder, hidden ones included, sorted.
    func listing() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted()
    }

    func remove() { try? FileManager.default.removeItem(at: folder) }
}

/// The content every "output must stay untouched" test pre-fills its output file with.
let goodContent = "GOOD\nthe previous, complete output\n"

/// JSON Lines helpers for building hostile inputs out of real records.
enum JSONLines {
    static func lines(of data: Data) -> [String] {
        String(decoding: data, as: UTF8.self).split(separator: "\n", omittingEmptySubsequences: true).map(String.init)
    }

    static func object(_ line: String) throws -> [String: Any] {
        try #require(JSONSerialization.jsonObject(with: Data(line.utf8)) as? [String: Any])
    }

    static func line(_ object: [String: Any]) throws -> String {
        String(decoding: try JSONSerialization.data(withJSONObject: object, options: [.sortedKeys]), as: UTF8.self)
    }

    static func join(_ lines: [String]) -> String { lines.joined(separator: "\n") + "\n" }

    /// The 16 sample records of `Datasets/samples/labelled-papers.jsonl`.
    static func sampleLines() throws -> [String] {
        lines(of: try Data(contentsOf: SharedData.packageRoot.appendingPathComponent("Datasets/samples/labelled-papers.jsonl")))
    }
}

/// Counts occurrences of `needle` in `text`.
func occurrences(of needle: String, in text: String) -> Int {
    text.components(separatedBy: needle).count - 1
}

/// Appends what `handle` delivers to `text` until `done(text)` holds, the writer closes its end, or `seconds`
/// pass, so an acknowledgement that never comes fails the test instead of hanging it. Returns whether `done` held.
@discardableResult
func readText(_ handle: FileHandle, into text: inout String, within seconds: TimeInterval = 60,
              until done: (String) -> Bool) -> Bool {
    let deadline = Date().addingTimeInterval(seconds)
    var received = Array(text.utf8)
    var chunk = [UInt8](repeating: 0, count: 4096)
    while !done(text) {
        let left = deadline.timeIntervalSinceNow
        guard left > 0 else { return false }
        var ready = pollfd(fd: handle.fileDescriptor, events: Int16(POLLIN), revents: 0)
        let polled = poll(&ready, 1, Int32(min(left, 1) * 1000))
        if polled == 0 || (polled < 0 && errno == EINTR) { continue }
        guard polled > 0 else { return false }
        let count = read(handle.fileDescriptor, &chunk, chunk.count)
        if count < 0 && errno == EINTR { continue }
        guard count > 0 else { return false }
        // Decoded whole each time, so a character split between two reads comes out right.
        received += chunk[0..<count]
        text = String(decoding: received, as: UTF8.self)
    }
    return true
}
