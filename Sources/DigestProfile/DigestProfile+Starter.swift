extension DigestProfile {
    /// The text of a new profile: the given name, query and sections (no keywords yet), the model
    /// file `model` beside it, and the optional keys as comments that say what they do. What
    /// `arxiv-digest init` writes; ``parse(_:file:displayName:)`` reads it back unchanged.
    public static func starterText(
        name: String, query: String, maxResults: Int = Query.defaultMaxResults,
        sections: [(label: String, heading: String)], fallback: String, title: String? = nil,
        intro: String = "Papers are automatically categorized by topic and sorted by date.",
        model: String = "topics.model"
    ) -> String {
        var text = """
            # The \(name) digest. Paths are relative to this file.
            name = \(tomlString(name))
            # The model `arxiv-digest train --profile` writes and `digest` uses.
            model = \(tomlString(model))
            # The section for papers no keyword rule places.
            fallback = \(tomlString(fallback))
            # Optional: papers whose top probability is below this count as unsure (0...1).
            # min_confidence = 0.5
            # Optional: the paper library (default library.sqlite beside this file).
            # library = "library.sqlite"

            [page]
            title = \(tomlString(title ?? "\(name) - Daily ArXiv"))
            intro = \(tomlString(intro))

            [query]
            # arXiv API syntax: all:word, ti:word, au:name, cat:quant-ph, "a phrase", AND / OR / ANDNOT.
            search = \(tomlString(query))
            max_results = \(maxResults)

            # Optional: where digest files are written.
            # [outputs]
            # markdown = "README.md"
            # html = "index.html"
            # atom = "feed.xml"

            # One table per section, in page order. keywords are optional rules: a section scores one
            # point per keyword found in the lower-cased title + abstract; the best score wins, ties
            # go to the earlier section, and no hit gives the fallback. `evaluate` compares the model
            # with them, and `digest --classifier keywords` uses them.

            """
        for section in sections {
            text += """

                [[sections]]
                label = \(tomlString(section.label))
                heading = \(tomlString(section.heading))
                keywords = []

                """
        }
        return text + "\n"
    }

    /// A TOML basic string: quotes, backslashes and control characters escaped.
    static func tomlString(_ value: String) -> String {
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            case _ where scalar.value < 0x20 || scalar.value == 0x7F:
                out += "\\u" + String(repeating: "0", count: 4 - String(scalar.value, radix: 16).count) + String(scalar.value, radix: 16, uppercase: true)
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }
}
