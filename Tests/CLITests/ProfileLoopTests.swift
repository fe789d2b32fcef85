import Foundation
import Testing
import TestSupport

/// The profile's learning-loop keys: `min_confidence` and `library`.
@Suite("profile keys of the learning loop")
struct ProfileLoopTests {
    @Test("min_confidence routes unsure papers to the profile's fallback; library defaults to library.sqlite beside the profile")
    func profileKeys() throws {
        let scratch = try Scratch()
        defer { scratch.remove() }
        let shipped = try String(contentsOf: SharedData.packageRoot.appendingPathComponent("Models/open-neuromorphic.toml"), encoding: .utf8)
        // A model trained on 300 papers: unsure of some sample-feed papers (the shipped one is sure of them all).
        let model = try TrainedModels.subset().path
        let text = shipped.replacingOccurrences(of: "model = \"topics.model\"", with: "model = \"\(model)\"\nmin_confidence = 0.8")
        try #require(text != shipped)
        try scratch.write("field.toml", text)
        let feed = LoopData.sampleFeed.path

        let classified = try LoopData.classified(try CLI.run(["classify", "--feed", feed, "--profile", scratch.path("field.toml")]).stdout)
        let unsure = classified.filter { $0.abstained }.map(\.id)
        #expect(unsure == classified.filter { $0.probabilities.values.max()! < 0.8 }.map(\.id))
        #expect(!unsure.isEmpty)

        let digest = try CLI.run(["digest", "--profile", scratch.path("field.toml"), "--feed", feed, "--new-only", "--run-time", "2026-12-03 08:00"])
        try #require(digest.status == 0, CLI.describe(digest))
        let general = LoopData.sections(ofDigest: digest.stdoutText)[LoopData.headings["general"]!] ?? []
        #expect(Set(unsure).isSubset(of: Set(general)))
        #expect(FileManager.default.fileExists(atPath: scratch.path("library.sqlite")), "the profile's default library was not used")
        let runs = try CLI.run(["library", "runs", "--profile", scratch.path("field.toml")])
        #expect(runs.stdoutText.contains("profile open-neuromorphic"), "\(runs.stdoutText)")
    }
}
