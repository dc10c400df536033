/// A Content-Transfer-Encoding: how a leaf's bytes are written in the message.
///
/// - SeeAlso: RFC 2045 §6
public enum MIMETransferEncoding: String, Sendable, Hashable, CaseIterable {
    case sevenBit = "7bit"
    case eightBit = "8bit"
    case binary
    case quotedPrintable = "quoted-printable"
    case base64

    /// Reads a field value, case-insensitive, spaces and comments ignored; nil when unknown (e.g. `x-uuencode`).
    public init?(fieldValue: String) {
        var scanner = MIMEFieldScanner(fieldValue)
        scanner.skipWhitespaceAndComments()
        guard let token = scanner.token(), let known = Self(rawValue: token.lowercased()) else { return nil }
        self = known
    }

    /// The bytes as they are written in the message.
    public func encode(_ bytes: some Collection<UInt8>) -> [UInt8] {
        switch self {
        case .sevenBit, .eightBit, .binary: Array(bytes)
        case .quotedPrintable: QuotedPrintable.encode(bytes)
        case .base64: Base64Body.encode(bytes)
        }
    }

    /// The bytes a written body stands for.
    public func decode(_ bytes: some Collection<UInt8>) throws(Base64Body.DecodingError) -> [UInt8] {
        switch self {
        case .sevenBit, .eightBit, .binary: Array(bytes)
        case .quotedPrintable: QuotedPrintable.decode(bytes)
        case .base64: try Base64Body.decode(bytes)
        }
    }

    /// The encoding `MIMEBuilder` writes text in, chosen so that the message
    /// is 7-bit clean (it may go through relays without 8BITMIME) and small:
    ///
    /// 1. `7bit` when every byte is 1–127, every line (CRLF-separated) is
    ///    at most 998 octets (RFC 2045 §2.7) and no line starts with `From `
    ///    (an mbox delivery would turn it into `>From `; quoted-printable
    ///    escapes it, RFC 2049 §3 (8)): the text goes as it is;
    /// 2. otherwise quoted-printable or base64, whichever encodes the bytes
    ///    in fewer octets, quoted-printable on a tie. Each byte that needs
    ///    escaping costs QP three octets and base64 a third more in all, so
    ///    QP wins while under roughly a sixth of the bytes need escaping:
    ///    Latin text with some accents goes QP, Cyrillic or Greek base64.
    ///
    /// `bytes` should have CRLF line breaks (lone CR or LF count as bytes to escape).
    public static func preferred(for bytes: [UInt8]) -> MIMETransferEncoding {
        if isSevenBitText(bytes) { return .sevenBit }
        // Sizes estimated by counting, not by encoding twice: an escaped
        // byte takes three characters, a soft break three per 75.
        var escaped = 0
        for byte in bytes where !((33...126).contains(byte) && byte != .equals) && byte != .space && byte != .cr && byte != .lf {
            escaped += 1
        }
        let quotedText = bytes.count + 2 * escaped
        let quoted = quotedText + quotedText / 75 * 3
        let base64Text = (bytes.count + 2) / 3 * 4
        let base64 = base64Text + base64Text / 76 * 2
        return quoted <= base64 ? .quotedPrintable : .base64
    }

    /// RFC 2045 §2.7: no NUL, no byte above 127, CR and LF only as CRLF, lines of at most 998 octets;
    /// and no line starting with `From `.
    static func isSevenBitText(_ bytes: [UInt8]) -> Bool {
        var lineLength = 0
        var index = 0
        while index < bytes.count {
            let byte = bytes[index]
            if lineLength == 0, byte == UInt8(ascii: "F"), bytes[index...].starts(with: "From ".utf8) { return false }
            if byte == .cr {
                guard index + 1 < bytes.count, bytes[index + 1] == .lf else { return false }
                lineLength = 0
                index += 2
                continue
            }
            guard byte != 0, byte < 0x80, byte != .lf else { return false }
            lineLength += 1
            if lineLength > 998 { return false }
            index += 1
        }
        return true
    }
}
