import ArxivFeed
import Foundation

extension Paper {
    /// The arXiv id without a version suffix (`2202.12139v2` → `2202.12139`).
    var baseID: String { Self.strippingVersion(id).base }

    /// The version number from the `url` suffix `vN` (else from `id`), 0 when neither carries one.
    var version: Int {
        if let url, let version = Self.strippingVersion(url).version { return version }
        return Self.strippingVersion(id).version ?? 0
    }

    /// `text` without a trailing `v<ASCII digits>` after a digit, and that number; a number too large for
    /// an `Int` counts as the largest version (it is still newer than `v2`).
    private static func strippingVersion(_ text: String) -> (base: String, version: Int?) {
        let digits = text.reversed().prefix { $0.isASCII && $0.isNumber }
        guard !digits.isEmpty else { return (text, nil) }
        let beforeDigits = text.dropLast(digits.count)
        guard beforeDigits.last == "v", beforeDigits.dropLast().last?.isNumber == true else { return (text, nil) }
        return (String(beforeDigits.dropLast()), Int(String(digits.reversed())) ?? Int.max)
    }
}

extension Array where Element == Paper {
    /// One paper per base id, keeping the highest version (the first among equals) at the position where
    /// that id first appeared.
    public func deduplicatedByBaseID() -> [Paper] {
        var position: [String: Int] = [:]
        var result: [Paper] = []
        for paper in self {
            let key = paper.baseID
            if let index = position[key] {
                if paper.version > result[index].version { result[index] = paper }
            } else {
                position[key] = result.count
                result.append(paper)
            }
        }
        return result
    }
}
