import Foundation
import Testing
import TestSupport

/// The README's walk-through for a second field, run as pasted, with its offline lines in place of
/// the two that need the network.
@Suite("README walk-through")
struct ReadmeWalkthroughTests {
    /// The walk-through's shell block, made offline: the build line is left out (the tests use the
    /// built binary), and each network line gives way to the `# offline:` line under it.
    static func offlineScript() throws -> String {
        let readme = try String(contentsOf: SharedData.packageRoot.appendingPathComponent("README.md"), encoding: .utf8)
        let heading = try #require(readme.range(of: "### Walk-through: a digest for quantum computing"))
        let open = try #require(readme.range(of: "```sh\n", range: heading.upperBound..<readme.endIndex))
        let close = try #require(readme.range(of: "\n```\n", range: open.upperBound..<readme.endIndex))
        let lines = readme[open.upperBound..<close.lowerBound].split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        var script = ["set -e"]
        for (index, line) in lines.enumerated() {
            if line.hasPrefix("swift build") { continue }
            if index + 1 < lines.count, lines[index + 1].hasPrefix("# offline: ") { continue }
            script.append(line.hasPrefix("# offline: ") ? String(line.dropFirst("# offline: ".count)) : line)
        }
        return script.joined(separator: "\n") + "\n"
    }

    @Test("init → fetch → label → train → evaluate → digest works as written")
    func walkthrough() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let script = try Self.offlineScript()
        #expect(script.components(separatedBy: "--feed Datasets/samples/sample-feed.xml").count == 3, "two offline lines expected:\n\(script)")
        try scratch.write("walk.sh", script)
        try FileManager.default.createSymbolicLink(at: scratch.url("Datasets"), withDestinationURL: SharedData.packageRoot.appendingPathComponent("Datasets"))
        let binaryFolder = try ProcessRunner.arxivDigestBinary().deletingLastPathComponent().path
        var environment = ProcessInfo.processInfo.environment
        environment["PATH"] = binaryFolder + ":" + (environment["PATH"] ?? "/usr/bin:/bin")
        let bash = try #require(ProcessRunner.which("bash"))
        let result = try ProcessRunner.run(bash, [scratch.path("walk.sh")], environment: environment, currentDirectory: scratch.folder)
        try #require(result.status == 0, "exit \(result.status): \(result.stderrText.suffix(1500))")
        #expect(result.stdoutText.contains("## quantum/held-out.jsonl (2 papers)"), "\(result.stdoutText)")
        let page = try scratch.text("quantum/README.md")
        #expect(page.hasPrefix("# Quantum Computing - Daily ArXiv\n"))
        #expect(page.contains("\n## 🔧 Hardware & Qubits\n"))
        #expect(FileManager.default.fileExists(atPath: scratch.path("quantum/topics.model")))
    }
}
