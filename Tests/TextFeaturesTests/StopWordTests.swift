import Foundation
import TestSupport
import Testing
import TextFeatures

@Suite struct StopWordTests {
    @Test func theEnglishListIsScikitLearns() throws {
        let python = try #require(ProcessRunner.which("python3"))
        let result = try ProcessRunner.run(python, ["-c", "import json, sys; from sklearn.feature_extraction.text import ENGLISH_STOP_WORDS as S; json.dump(sorted(S), sys.stdout)"])
        try #require(result.status == 0, "\(result.stderrText)")
        let expected = try JSONDecoder().decode([String].self, from: result.stdout)
        #expect(expected.count == 318)
        #expect(StopWordList.english.words == Set(expected))
    }

    @Test func stopWordsLeaveAndTheirNeighboursJoin() {
        let tokenizer = Tokenizer(stopWords: .english)
        #expect(tokenizer.tokens(in: "The spiking network is on a Loihi chip") == ["spiking", "network", "loihi", "chip"])
        #expect(tokenizer.terms(in: "spikes of the neurons", ngramRange: 1...2) == ["spikes", "neurons", "spikes neurons"])
        #expect(Tokenizer().terms(in: "spikes of the neurons", ngramRange: 2...2) == ["spikes of", "of the", "the neurons"])
    }
}
