// SASL for SMTP AUTH, as values: base64 and the PLAIN and LOGIN messages.
// No I/O, no passwords checked here: the server's state machine runs the
// exchange and the session hands the credentials to Accounts.
//
// - SeeAlso: RFC 4954 §4 (the AUTH exchange), RFC 4616 (PLAIN),
//   draft-murchison-sasl-login-00 (LOGIN), RFC 4648 §4 (base64)

/// Why an AUTH exchange failed, with the reply the client gets. None of the
/// texts quote what the client sent: it may hold a password.
public enum SASLError: Error, Sendable, Hashable, SMTPReplyConvertible {
    /// A client line is not strict base64 (RFC 4954 §4: 501, 5.5.2).
    case notBase64
    /// The decoded message is not what the mechanism defines: PLAIN without
    /// its two NULs, an empty user or password, a NUL inside LOGIN's, not UTF-8.
    case malformed
    /// The client sent `*` (RFC 4954 §4).
    case cancelled
    /// PLAIN with an authorization identity other than the user: Poshta
    /// does not let one user act as another.
    case proxyAuthorization
    /// `AUTH` with a mechanism Poshta does not offer (RFC 4954 §4: 504).
    case unsupportedMechanism

    public var reply: SMTPReply {
        switch self {
        case .notBase64: SMTPReply(501, "5.5.2", "Invalid base64 data")
        case .malformed:
            SMTPReply(501, "5.5.2", "Malformed authentication data: expected UTF-8 user and password, both non-empty")
        case .cancelled: SMTPReply(501, "5.7.0", "Authentication cancelled")
        case .proxyAuthorization:
            SMTPReply(
                501, "5.7.0",
                "Proxy authorization is not supported: leave the authorization identity empty or make it the user name")
        case .unsupportedMechanism: SMTPReply(504, "5.5.4", "Unrecognized authentication type: use PLAIN or LOGIN")
        }
    }
}

/// Base64 as RFC 4648 §4 defines it, decoded strictly: no whitespace, no
/// characters outside the alphabet, padding exactly where it belongs, zero
/// bits after the last byte. RFC 4954 §4 wants a 501 for anything that does
/// not decode; a lenient decoder would let malformed data reach the checks.
public enum SASLBase64 {
    private static let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)

    private static let values: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        for (index, byte) in alphabet.enumerated() { table[Int(byte)] = UInt8(index) }
        return table
    }()

    /// The UTF-8 of `text`, in padded base64.
    public static func encode(_ text: String) -> String { encode(bytes: Array(text.utf8)) }

    /// `bytes` in padded base64.
    public static func encode(bytes: [UInt8]) -> String {
        var out: [UInt8] = []
        out.reserveCapacity((bytes.count + 2) / 3 * 4)
        var index = 0
        while index < bytes.count {
            let remaining = bytes.count - index
            let group =
                UInt32(bytes[index]) << 16 | (remaining > 1 ? UInt32(bytes[index + 1]) << 8 : 0)
                | (remaining > 2 ? UInt32(bytes[index + 2]) : 0)
            out.append(alphabet[Int(group >> 18 & 0x3F)])
            out.append(alphabet[Int(group >> 12 & 0x3F)])
            out.append(remaining > 1 ? alphabet[Int(group >> 6 & 0x3F)] : 0x3D)
            out.append(remaining > 2 ? alphabet[Int(group & 0x3F)] : 0x3D)
            index += 3
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The bytes `text` encodes, or nil when it is not strict base64.
    public static func decode(_ text: String) -> [UInt8]? {
        let input = Array(text.utf8)
        guard input.count % 4 == 0 else { return nil }
        let padding = input.reversed().prefix(while: { $0 == 0x3D }).count
        guard padding <= 2 else { return nil }
        var out: [UInt8] = []
        out.reserveCapacity(input.count / 4 * 3)
        var accumulator: UInt32 = 0
        var bits = 0
        for byte in input.dropLast(padding) {
            let value = values[Int(byte)]
            guard value != 0xFF else { return nil }  // also a `=` before the end
            accumulator = accumulator << 6 | UInt32(value)
            bits += 6
            if bits >= 8 {
                bits -= 8
                out.append(UInt8(truncatingIfNeeded: accumulator >> UInt32(bits)))
                accumulator &= (1 << UInt32(bits)) - 1
            }
        }
        // Non-zero bits after the last byte would give the same bytes a second spelling.
        guard accumulator == 0 else { return nil }
        return out
    }

    /// A client line of an AUTH exchange: `*` cancels; `=` (an empty initial
    /// response, RFC 4954 §4) and an empty line are no bytes.
    static func decodeResponse(_ line: String) throws(SASLError) -> [UInt8] {
        if line == "*" { throw .cancelled }
        if line == "=" || line.isEmpty { return [] }
        guard let bytes = decode(line) else { throw .notBase64 }
        return bytes
    }
}

/// The PLAIN mechanism's one message: `[authzid] NUL authcid NUL passwd`, UTF-8.
///
/// - SeeAlso: RFC 4616 §2
public enum SASLPlain {
    /// Decodes a client's base64 PLAIN message. Refuses `*` (`.cancelled`),
    /// bad base64, a message without exactly two NULs, an empty user or
    /// password, text that is not UTF-8, and an authorization identity that
    /// is neither empty nor the user (`.proxyAuthorization`).
    public static func decode(_ base64: String) throws(SASLError) -> (
        authorizationID: String, user: String, password: String
    ) {
        let bytes = try SASLBase64.decodeResponse(base64)
        let parts = bytes.split(separator: 0, maxSplits: 2, omittingEmptySubsequences: false)
        guard parts.count == 3, !parts[1].isEmpty, !parts[2].isEmpty, !parts[2].contains(0),
            let authorizationID = String(validating: parts[0], as: UTF8.self),
            let user = String(validating: parts[1], as: UTF8.self),
            let password = String(validating: parts[2], as: UTF8.self)
        else { throw .malformed }
        guard authorizationID.isEmpty || authorizationID == user else { throw .proxyAuthorization }
        return (authorizationID, user, password)
    }
}

/// The LOGIN mechanism: the server asks `Username:` then `Password:` (in
/// base64), the client answers each with one base64 line. Obsolete but what
/// Outlook and many shop mailers still use.
///
/// - SeeAlso: draft-murchison-sasl-login-00
public enum SASLLogin {
    /// `Username:` in base64, the first challenge.
    public static let usernameChallenge = "VXNlcm5hbWU6"
    /// `Password:` in base64, the second challenge.
    public static let passwordChallenge = "UGFzc3dvcmQ6"

    /// Decodes one answer (user name or password): `*` cancels; it must be
    /// base64 of non-empty UTF-8 without NUL.
    public static func decode(_ base64: String) throws(SASLError) -> String {
        let bytes = try SASLBase64.decodeResponse(base64)
        guard !bytes.isEmpty, !bytes.contains(0), let text = String(validating: bytes, as: UTF8.self) else {
            throw .malformed
        }
        return text
    }
}
