/// Profile text as error messages show it: in quotes, with control, format and separator characters
/// written as `\u{…}`, so a key or value can neither drive the terminal (an escape sequence) nor hide
/// (an invisible character that makes two labels look alike).
enum ProfileText {
    static func quoted(_ text: String) -> String {
        var shown = "\""
        for scalar in text.unicodeScalars {
            switch scalar.properties.generalCategory {
            case .control, .format, .lineSeparator, .paragraphSeparator, .unassigned, .privateUse, .surrogate:
                shown += "\\u{" + String(scalar.value, radix: 16, uppercase: true) + "}"
            default:
                if scalar == "\"" || scalar == "\\" { shown += "\\" }
                shown.unicodeScalars.append(scalar)
            }
        }
        return shown + "\""
    }
}
