/// How one exchange with a nameserver ended without an answer.
enum DNSTransportError: Error, Sendable {
    /// The per-try timeout passed.
    case timedOut
    /// The socket or connection closed before the answer came.
    case closed
}
