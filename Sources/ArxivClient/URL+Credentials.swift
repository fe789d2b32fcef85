import Foundation

extension URL {
    /// The URL with any user name and password replaced by `***`, for messages and logs: an endpoint such as
    /// `https://user:secret@mirror.example/api/query` must never print its password.
    public var maskingCredentials: URL {
        guard var components = URLComponents(url: self, resolvingAgainstBaseURL: false),
              components.user != nil || components.password != nil else { return self }
        if components.user != nil { components.user = "***" }
        if components.password != nil { components.password = "***" }
        return components.url ?? self
    }
}
