import DNS
import NIOCore

/// What a response must match to be taken as the answer to our query: its
/// ID, its question, and the address it came from. Anything else is a stray
/// or a forgery and is ignored, not an error, so that a spoofer cannot make
/// the lookup fail early either.
///
/// - SeeAlso: RFC 5452 §3 (accept only matching ID, question and source address), §9.1
struct ExpectedResponse: Sendable {
    var id: UInt16
    var question: DNSQuestion
    var nameserver: SocketAddress

    /// True for the answer to our question; DNSName comparison ignores ASCII case.
    func accepts(_ response: DNSMessage, from source: SocketAddress?) -> Bool {
        response.isResponse
            && response.id == id
            && response.opcode == 0
            && response.questions == [question]
            && source == nameserver
    }
}
