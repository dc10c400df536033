/// Why a message could not be parsed: only the sanity limits fail a parse;
/// damaged structure is tolerated and recorded as `MIMEDefect`s.
public enum MIMEParseError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The message is larger than `MIMEMessage.Limits.maximumBytes`.
    case tooLarge(limit: Int)
    /// Multiparts are nested deeper than `MIMEMessage.Limits.maximumDepth`.
    case tooDeep(limit: Int)
    /// The message has more parts than `MIMEMessage.Limits.maximumParts`.
    case tooManyParts(limit: Int)

    public var description: String {
        switch self {
        case .tooLarge(let limit): "message larger than \(limit) bytes"
        case .tooDeep(let limit): "multiparts nested deeper than \(limit) levels"
        case .tooManyParts(let limit): "message has more than \(limit) MIME parts"
        }
    }
}
