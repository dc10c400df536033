/// Damage found while parsing, kept on the part instead of failing the message.
public enum MIMEDefect: Hashable, Sendable {
    /// The Content-Type field could not be read; the part took the default type.
    case invalidContentType(String)
    /// A multipart without a boundary parameter: its body is kept as a single body.
    case missingBoundary
    /// No delimiter line for the boundary: the body is kept as a single body.
    case boundaryNotFound
    /// No close delimiter `--boundary--`: the last part runs to the end of the body.
    case missingCloseDelimiter
}
