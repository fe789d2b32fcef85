import Foundation
import Testing
import TestSupport

/// Inputs shared by the learning-loop tests.
enum LoopData {
    static let sampleFeed = SharedData.packageRoot.appendingPathComponent("Datasets/samples/sample-feed.xml")

    /// The first `count` records of `topics/train-extra.jsonl` without their labels: papers the
    /// subset model has never seen, as a library or a fetch would hold them.
    static func unlabelledExtra(_ count: Int, in scratch: Scratch) throws -> URL {
        let lines = JSONLines.lines(of: try SharedData.data("datasets/topics/train-extra.jsonl")).prefix(count)
        let stripped = try lines.map { line -> String in
            var object = try JSONLines.object(line)
            object["label"] = nil
            return try JSONLines.line(object)
        }
        return try scratch.write("extra\(count).jsonl", JSONLines.join(stripped))
    }

    /// classify's JSON Lines as (id, probabilities by class, abstained).
    static func classified(_ stdout: Data) throws -> [(id: String, probabilities: [String: Double], abstained: Bool)] {
        try JSONLines.lines(of: stdout).map { line in
            let object = try JSONLines.object(line)
            return (object["id"] as! String, object["probabilities"] as! [String: Double], object["abstained"] as? Bool ?? false)
        }
    }

    /// The paper ids under each `## ` heading of a digest, by heading.
    static func sections(ofDigest text: String) -> [String: [String]] {
        var result: [String: [String]] = [:]
        var heading: String?
        for line in text.split(separator: "\n") {
            if line.hasPrefix("## ") { heading = String(line.dropFirst(3)) }
            if line.hasPrefix("### ["), let heading, let open = line.range(of: "/abs/"), let close = line.range(of: ")", range: open.upperBound..<line.endIndex) {
                var id = String(line[open.upperBound..<close.lowerBound])
                if let v = id.range(of: "v", options: .backwards), id[v.upperBound...].allSatisfy(\.isNumber) { id = String(id[..<v.lowerBound]) }
                result[heading, default: []].append(id)
            }
        }
        return result
    }

    static let headings = [
        "hardware": "🛠 Hardware & Materials", "algorithms": "🧠 Algorithms & Theory",
        "applications": "👁\u{FE0F} Applications & Sensing", "general": "📂 General / Uncategorized",
    ]
}
