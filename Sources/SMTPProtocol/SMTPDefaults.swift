/// The SMTPProtocol module: SMTP commands, replies, paths and framing as values.
///
/// Input: bytes from a client or a server. Output: parsed commands, replies,
/// message bodies, and the bytes to send. This module never opens a socket,
/// reads a clock or touches a file; the server and the client wrap it.

/// Protocol limits that the RFCs fix and every session shares.
///
/// - SeeAlso: RFC 5321 §4.5.3.1 (size limits)
public enum SMTPDefaults {
    /// A command line, including the verb and the final CRLF (RFC 5321 §4.5.3.1.4).
    public static let maxCommandLineLength = 512
    /// An AUTH command line or a SASL response line, including CRLF
    /// (RFC 4954 §4: "at least 12288 octets").
    public static let maxAuthLineLength = 12288
    /// A text line of the message, excluding the final CRLF (RFC 5322 §2.1.1).
    public static let maxTextLineLength = 998
    /// A local part (RFC 5321 §4.5.3.1.1).
    public static let maxLocalPartLength = 64
    /// A domain (RFC 5321 §4.5.3.1.2).
    public static let maxDomainLength = 255
    /// A reverse- or forward-path, including the angle brackets (RFC 5321 §4.5.3.1.3).
    public static let maxPathLength = 256
}
