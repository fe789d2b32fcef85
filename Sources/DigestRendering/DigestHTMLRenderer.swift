import ArxivFeed

/// Renders a digest as one self-contained HTML5 page: no scripts, no external assets, inline CSS,
/// readable on a phone, light and dark colour schemes, a table of contents with counts, and each
/// paper with its linked title, date, authors and abstract.
///
/// Every text (paper fields, layout strings, the run time) goes through ``MarkupEscaping``, so no
/// paper text can create an element or an attribute; links are arXiv abstract pages only
/// (``ArxivLink``).
public enum DigestHTMLRenderer {
    /// Renders `papers` with `labels[i]` as the section label of `papers[i]`.
    /// - Parameter runTime: `YYYY-MM-DD HH:MM` in UTC, as the Markdown prints it.
    /// - Throws: ``DigestRenderError`` for a label the layout lacks, an id that is no arXiv id, or mismatched counts.
    public static func render(papers: [Paper], labels: [String], layout: DigestLayout, runTime: String) throws -> String {
        let grouping = try DigestGrouping(papers: papers, labels: labels, layout: layout)
        let e = MarkupEscaping.escape
        var page = """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <meta name="color-scheme" content="light dark">
            <title>\(e(layout.title))</title>
            <style>\(style)</style>
            </head>
            <body>
            <header>
            <h1>\(e(layout.title))</h1>
            <p class="run">Last run: <time datetime="\(e(AtomTime.stamp(runTime: runTime)))">\(e(runTime)) UTC</time></p>
            <p>\(e(layout.intro))</p>

            """
        if grouping.isEmpty {
            page += "</header>\n<main>\n<p class=\"empty\">No new papers found today. Check back tomorrow!</p>\n</main>\n"
        } else {
            page += "<nav><ul>\n"
            for (section, items) in grouping.sections {
                page += "<li><a href=\"#\(e(anchor(section.label)))\">\(e(section.heading))</a> <span class=\"count\">\(items.count)</span></li>\n"
            }
            page += "</ul></nav>\n</header>\n<main>\n"
            for (section, items) in grouping.sections {
                page += "<section id=\"\(e(anchor(section.label)))\">\n"
                page += "<h2>\(e(section.heading)) <span class=\"count\">\(items.count)</span></h2>\n"
                for item in items { page += article(item) }
                page += "</section>\n"
            }
            page += "</main>\n"
        }
        page += "</body>\n</html>\n"
        return page
    }

    /// The fragment id of a section: `section-` and the label, its ASCII letters, digits and dashes
    /// as they are and every other code point as `_<hex>_` (`hw.x` → `section-hw_2e_x`,
    /// `量子` → `section-_91cf__5b50_`). The encoding is one-to-one, so unique labels give unique ids,
    /// and it depends on the label alone, so an id stays the same from run to run; ids are plain ASCII
    /// and need no escaping in a link. Labels of letters, digits and dashes keep `section-<label>`.
    static func anchor(_ label: String) -> String {
        var id = "section-"
        for scalar in label.unicodeScalars {
            if scalar.isASCIILetter || scalar.isASCIIDigit || scalar == "-" {
                id.unicodeScalars.append(scalar)
            } else {
                id += "_" + String(scalar.value, radix: 16) + "_"
            }
        }
        return id
    }

    private static func article(_ item: DigestGrouping.Item) -> String {
        let e = MarkupEscaping.escape
        let paper = item.paper
        let date = PaperText.date(paper)
        let authors = PaperText.authors(paper)
        return "<article>\n"
            + "<h3><a href=\"\(e(item.link))\">\(e(PaperText.title(paper)))</a></h3>\n"
            + "<p class=\"meta\"><time>\(e(date))</time>\(authors.isEmpty ? "" : " · <span class=\"authors\">\(e(authors))</span>")</p>\n"
            + "<blockquote>\(e(PaperText.abstract(paper)))</blockquote>\n"
            + "</article>\n"
    }

    /// System fonts, a narrow column, and colours from `prefers-color-scheme`.
    static let style = """
        :root{--bg:#fdfdfc;--fg:#1c1e21;--muted:#5b6270;--link:#0b57d0;--rule:#dfe3e8;--quote:#f3f5f7}\
        @media (prefers-color-scheme:dark){:root{--bg:#15171a;--fg:#e6e8eb;--muted:#9aa3ae;--link:#8ab4f8;--rule:#2c3036;--quote:#1d2024}}\
        *{box-sizing:border-box}\
        body{margin:0 auto;max-width:46rem;padding:1rem;background:var(--bg);color:var(--fg);\
        font:16px/1.55 system-ui,-apple-system,"Segoe UI",Roboto,"Noto Sans",sans-serif;overflow-wrap:anywhere}\
        h1{font-size:1.6rem;margin:.5rem 0}h2{font-size:1.25rem;margin-top:2rem;border-bottom:1px solid var(--rule);padding-bottom:.3rem}\
        h3{font-size:1.05rem;margin:1.2rem 0 .2rem}a{color:var(--link)}\
        .run,.meta,.count{color:var(--muted)}.meta{margin:.1rem 0 .4rem;font-size:.92rem}\
        .count{font-weight:normal;font-size:.9em}nav ul{padding-left:1.2rem}\
        blockquote{margin:0;padding:.5rem .8rem;background:var(--quote);border-left:3px solid var(--rule);font-size:.95rem}
        """
}
