/// Why bytes were refused as a DNS message.
///
/// Every case carries the offset in the message where the problem was met,
/// so a log line can point at the byte.
///
/// - SeeAlso: RFC 1035 §4.1 (message format), §4.1.4 (compression)
public enum DNSDecodingError: Error, Hashable, Sendable {
    /// The message ends before a field that must be there.
    case truncatedMessage(offset: Int)
    /// A length octet whose top two bits are `01` or `10` (reserved label types, RFC 6891 §5 retired them).
    case badLabelLength(offset: Int, length: UInt8)
    /// A compression pointer that points at itself or into the name it belongs to,
    /// or a name that needs too many jumps.
    case pointerLoop(offset: Int)
    /// A compression pointer that points after itself (RFC 1035 §4.1.4: to a *prior* occurrence).
    case forwardPointer(offset: Int, target: Int)
    /// A name longer than 255 octets on the wire (RFC 1035 §2.3.4).
    case nameTooLong(offset: Int)
    /// RDATA whose fields do not exactly fill RDLENGTH.
    case rdataLengthMismatch(offset: Int, declared: Int)
}
