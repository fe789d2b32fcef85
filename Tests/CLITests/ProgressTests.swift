import Foundation
import Testing
import TestSupport

@Suite("progress lines")
struct ProgressTests {
    @Test("train --progress reports vectorising and the L-BFGS loss; without it (stderr not a terminal) nothing")
    func train() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let data = try TrainedModels.subsetData().path
        let shown = try CLI.run(["train", "--data", data, "--output", scratch.path("a.model"), "--progress"])
        try #require(shown.status == 0, CLI.describe(shown))
        #expect(shown.stderrText.contains("vectorising: 300 papers…\n"))
        #expect(shown.stderrText.range(of: #"vectorising: 300 papers, \d+ terms \(\d+\.\d s\)"#, options: .regularExpression) != nil)
        // The first evaluation is at θ = 0: the loss of a uniform guess over 4 classes, ln 4 per paper.
        #expect(shown.stderrText.contains("L-BFGS: evaluation 1, loss 1.38629\n"))
        #expect(shown.stderrText.range(of: #"L-BFGS: \d+ iterations \(\d+\.\d s\)"#, options: .regularExpression) != nil)
        let quiet = try CLI.run(["train", "--data", data, "--output", scratch.path("b.model")])
        try #require(quiet.status == 0, CLI.describe(quiet))
        #expect(!quiet.stderrText.contains("vectorising") && !quiet.stderrText.contains("L-BFGS:"))
        #expect(try scratch.read("a.model") == scratch.read("b.model"), "progress changed the model")
    }

    @Test("classify --progress reports its throughput; output unchanged")
    func classify() throws {
        let shown = try CLI.run(["classify", "--papers", LoopDataPaths.samples, "--progress"])
        let quiet = try CLI.run(["classify", "--papers", LoopDataPaths.samples])
        try #require(shown.status == 0 && quiet.status == 0)
        #expect(shown.stderrText.contains("classify: 16 papers, "))
        #expect(shown.stderrText.range(of: #"classify: 16 papers \(\d+\.\d s\)"#, options: .regularExpression) != nil)
        #expect(!quiet.stderrText.contains("classify:"))
        #expect(shown.stdout == quiet.stdout)
    }
}
