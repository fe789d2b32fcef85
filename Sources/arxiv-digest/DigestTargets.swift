import AtomicFiles
import DigestProfile
import Foundation

/// Where one `digest` run puts its pages: one page on `--output` (or standard output), or every file of the
/// profile's `[outputs]` table. All of them are checked before any work and written together at the end.
struct DigestTargets {
    /// One page and where it goes.
    struct Page {
        let format: DigestFormatOptions.Format
        /// The file, or nil for standard output.
        let file: String?
        /// How the user named it, for messages: `--output`, or `profile.toml: [outputs] html`.
        let option: String

        /// The name the page is published under (the Atom self link when `--feed-url` is absent).
        var outputName: String? { file.map { URL(fileURLWithPath: $0).lastPathComponent } }
    }

    let pages: [Page]

    /// True when the pages are the profile's `[outputs]` (each written file is then named on standard error).
    let fromProfile: Bool

    /// The profile's `[outputs]` when neither `--format` nor `--output` is given and it has any; else one page.
    init(output: OutputOptions, format: DigestFormatOptions.Format?, profile: DigestProfile) {
        let requested = DigestFormatOptions.requested(by: profile.outputs)
        if output.output == nil, format == nil, !requested.isEmpty {
            pages = requested.map { format, url in
                Page(format: format, file: url.path, option: "\(profile.file.path): [outputs] \(format.rawValue)")
            }
            fromProfile = true
        } else {
            pages = [Page(format: format ?? .markdown, file: output.file, option: "--output")]
            fromProfile = false
        }
    }

    /// Throws a `CLIError`, before any work, when a page's file cannot be written, is one of `inputs` (also one
    /// that does not exist yet, such as a new library), or is another page's file.
    func check(inputs: [OutputGuard.Input]) throws {
        for page in pages { try OutputGuard.check(page.file, option: page.option, inputs: inputs, standardOutputAllowed: !fromProfile) }
        let files = pages.compactMap { page in page.file.map { OutputGuard.Input(option: page.option, path: $0) } }
        if let (later, earlier) = OutputGuard.firstSameFile(files) {
            throw CLIError("\(later.option) \(later.path) is also \(earlier.option) \(earlier.path): each page needs a file of its own")
        }
    }

    /// Pages written to temporary files and flushed to disk, ready to be put in place by `publish()`.
    /// Dropped without `publish()` (a throw), each writer removes its temporary file.
    struct Prepared {
        fileprivate let writers: [(AtomicFileWriter, Page)]
        fileprivate let fromProfile: Bool

        /// Renames every page into place.
        func publish() throws {
            for (writer, page) in writers {
                try writer.commit()
                if fromProfile { logToStandardError("wrote \(page.file!)") }
            }
        }
    }

    /// Writes `texts` (one per page, in order) as far as the system allows all-or-nothing: every file page
    /// goes to a temporary file and is flushed to disk, so a failed write or flush (a full disk) leaves every
    /// old file as it was; only `publish()` of the result renames them into place. A page for standard
    /// output is written here, last.
    func prepare(_ texts: [String]) throws -> Prepared {
        precondition(texts.count == pages.count)
        let files = zip(pages, texts).filter { $0.0.file != nil }
        let writers = try files.map { page, _ in try AtomicFileWriter(replacing: URL(fileURLWithPath: page.file!)) }
        for (writer, (_, text)) in zip(writers, files) { try writer.write(Data(text.utf8)) }
        for writer in writers { try writer.flush() }
        for (page, text) in zip(pages, texts) where page.file == nil {
            try StandardStreams.write(Data(text.utf8))
        }
        return Prepared(writers: Array(zip(writers, files.map(\.0))), fromProfile: fromProfile)
    }
}
