/// The keys `label` takes for the sections, and the legend that lists them.
///
/// Digits 1…9 name the first nine sections. A section whose label starts with a letter (a…z) that
/// no other section starts with and no command uses also gets that letter. A section past the
/// ninth without a letter gets the first free letter of its label, else of the alphabet. A digit
/// is never a letter shortcut, so `3` always means the third section, and no two sections share
/// a key.
struct LabelKeys {
    /// The command keys, in legend order.
    static let commands: [(key: Character, meaning: String)] = [("o", "off-topic"), ("s", "skip"), ("u", "undo"), ("q", "quit")]

    /// Every section key, digits first, then letters in section order.
    let keys: [(key: Character, label: String)]

    /// - Throws: when the sections outnumber the keys (9 digits and 22 free letters).
    init(sections: [String]) throws {
        let alphabet = Array("abcdefghijklmnopqrstuvwxyz")
        var taken = Set(Self.commands.map(\.key))
        var letters: [Int: Character] = [:]
        let firstLetters = sections.map { $0.lowercased().first.flatMap { alphabet.contains($0) ? $0 : nil } }
        for (index, first) in firstLetters.enumerated() {
            guard let first, !taken.contains(first), firstLetters.filter({ $0 == first }).count == 1 else { continue }
            letters[index] = first
            taken.insert(first)
        }
        for index in sections.indices.dropFirst(9) where letters[index] == nil {
            let candidates = Array(sections[index].lowercased()).filter { alphabet.contains($0) } + alphabet
            guard let free = candidates.first(where: { !taken.contains($0) }) else {
                throw CLIError("the profile has \(sections.count) sections, more than label has keys for (9 digits and \(alphabet.count - Self.commands.count) letters); record the answers with --from answers.tsv instead")
            }
            letters[index] = free
            taken.insert(free)
        }
        keys = sections.prefix(9).enumerated().map { (Character("\($0.offset + 1)"), $0.element) }
            + sections.indices.compactMap { index in letters[index].map { ($0, sections[index]) } }
    }

    /// The section label for one line or key press (case-insensitive), or nil when it is none.
    func label(for input: String) -> String? {
        keys.first { String($0.key) == input.lowercased() }?.label
    }

    /// What each key does, one entry per key: the legend the labeller wraps to the terminal under every paper.
    var legendItems: [String] {
        keys.map { "\($0.key) \($0.label)" } + Self.commands.map { "\($0.key) \($0.meaning)" }
    }
}
