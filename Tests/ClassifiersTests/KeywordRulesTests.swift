import Classifiers
import Foundation
import Testing

@Suite("KeywordRules")
struct KeywordRulesTests {
    let rules = KeywordRules(topics: [("qubits", ["transmon", "ion trap"]), ("codes", ["surface code", "decoder", "qubit"]), ("other", [])],
                             fallback: "other")

    @Test("scores count each keyword once; ties go to the earlier topic; no hit gives the fallback")
    func classify() {
        #expect(rules.topics.map(\.label) == ["qubits", "codes"])
        #expect(rules.labels == ["qubits", "codes", "other"])
        #expect(rules.scores(text: "Transmon transmon qubit") == [1, 1])
        #expect(rules.classify(text: "Transmon transmon qubit") == "qubits")
        #expect(rules.classify(title: "A Surface Code decoder", abstract: "for ion traps") == "codes")
        #expect(rules.classify(text: "nothing here") == "other")
        #expect(rules.votes(text: "decoder") == ["qubits": 0, "codes": 1])
    }

    @Test("topics without keywords are dropped; a fallback that is a topic is listed once")
    func labels() {
        let empty = KeywordRules(topics: [("a", []), ("b", [])], fallback: "b")
        #expect(empty.isEmpty)
        #expect(!empty.onlyPredicts(among: ["a", "b"]))
        let withFallbackTopic = KeywordRules(topics: [("a", ["x"]), ("b", ["y"])], fallback: "b")
        #expect(withFallbackTopic.labels == ["a", "b"])
        #expect(rules.onlyPredicts(among: ["codes", "other", "qubits", "extra"]))
        #expect(!rules.onlyPredicts(among: ["codes", "qubits"]))
    }

    @Test("JSON round trip keeps the rules and their behaviour")
    func codable() throws {
        let data = try JSONEncoder().encode(rules)
        let back = try JSONDecoder().decode(KeywordRules.self, from: data)
        #expect(back == rules)
        #expect(back.classify(text: "surface code") == "codes")
        #expect(String(decoding: data, as: UTF8.self).contains("\"fallback\":\"other\""))
    }
}
