import ArxivFeed
import Foundation
import Testing
import TestSupport

/// Compares every field of every entry with an independent reader written in Python (xml.etree).
@Suite("Atom parser against a Python reference")
struct AtomReferenceTests {
    @Test("every entry of every fixture equals the Python reference's record",
          arguments: try SharedData.atomFixtureNames().filter { !$0.hasPrefix("error-") })
    func matchesReference(name: String) throws {
        let url = SharedData.url("fixtures/atom/" + name)
        let result = try ProcessRunner.python("Tests/ArxivFeedTests/atom_reference.py", [url.path])
        #expect(result.status == 0, "\(result.stderrText)")
        let referenceFile = try SharedData.temporaryDirectory().appendingPathComponent("reference.jsonl")
        try result.stdout.write(to: referenceFile)
        let expected = try PaperJSONLReader.readAll(contentsOf: referenceFile)
        let parsed = try AtomFeed.parse(Data(contentsOf: url), source: name).papers
        #expect(parsed.count == expected.count)
        for (ours, theirs) in zip(parsed, expected) {
            #expect(ours == theirs)
        }
    }
}
