/// The envelope of one outbound transaction — sender, recipients, size and
/// body type — and the MAIL/RCPT lines a given server may be sent for it.
///
/// Addresses come from the spool, where the server's path parser already
/// checked them, so they are written between brackets as they are.
///
/// - SeeAlso: RFC 5321 §4.1.1.2–3, RFC 1870 §6, RFC 6152 §3, RFC 6531 §3.4
public struct OutboundEnvelope: Hashable, Sendable {
    /// The reverse path without brackets; "" for the null sender.
    public var sender: String
    public var recipients: [String]
    /// The message size in octets, for `SIZE=`.
    public var size: Int
    /// The message has 8-bit content declared with `BODY=8BITMIME`.
    public var eightBitMIME: Bool
    /// The message needs SMTPUTF8 (UTF-8 addresses or headers).
    public var smtpUTF8: Bool

    public init(sender: String, recipients: [String], size: Int, eightBitMIME: Bool = false, smtpUTF8: Bool = false) {
        self.sender = sender
        self.recipients = recipients
        self.size = size
        self.eightBitMIME = eightBitMIME
        self.smtpUTF8 = smtpUTF8
    }

    /// True when an address is not ASCII, which only SMTPUTF8 allows.
    public var hasUTF8Address: Bool {
        ([sender] + recipients).contains { $0.utf8.contains { $0 >= 0x80 } }
    }

    /// `MAIL FROM:` with the parameters the server offered and the message needs.
    ///
    /// Throws the permanent failure that applies to every recipient when the
    /// server cannot take the message at all: an SMTPUTF8 message to a server
    /// without SMTPUTF8 (5.6.7, RFC 6531 §3.2), 8-bit MIME to one without
    /// 8BITMIME (5.6.3 — RFC 6152 §3 allows bouncing or converting; Poshta
    /// does not rewrite MIME it did not build), a message larger than the
    /// server's SIZE (5.3.4, RFC 1870 §6).
    public func mailCommand(for server: ServerExtensions, serverName: String) throws(OutboundRefusal) -> String {
        var line = "MAIL FROM:<\(sender)>"
        if server.size { line += " SIZE=\(size)" }
        if let limit = server.sizeLimit, size > limit {
            throw OutboundRefusal(
                SMTPReply(552, "5.3.4", "message size \(size) exceeds size limit \(limit) of server \(serverName)"))
        }
        if eightBitMIME {
            guard server.eightBitMIME else {
                throw OutboundRefusal(
                    SMTPReply(554, "5.6.3", "8-bit MIME message, but server \(serverName) does not offer 8BITMIME"))
            }
            line += " BODY=8BITMIME"
        }
        if smtpUTF8 || hasUTF8Address {
            guard server.smtpUTF8 else {
                throw OutboundRefusal(
                    SMTPReply(553, "5.6.7", "SMTPUTF8 is required, but was not offered by server \(serverName)"))
            }
            line += " SMTPUTF8"
        }
        return line
    }

    /// `RCPT TO:` for each recipient, in order.
    public var recipientCommands: [String] {
        recipients.map { "RCPT TO:<\($0)>" }
    }
}

/// Why a server cannot be sent a message: the reply the client makes up for
/// every recipient, as if the server had said it.
public struct OutboundRefusal: Error, Hashable, Sendable {
    public var reply: SMTPReply

    public init(_ reply: SMTPReply) {
        self.reply = reply
    }
}
