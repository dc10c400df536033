import MIME

/// The trace field Intake puts on top of every message.
///
/// ```
/// Received: from shop.example (unknown [127.0.0.1])
///         by mail.example (Poshta) with ESMTP id 0J4Z8K3M2QX
///         for <a@b.example>; Mon, 23 Nov 2026 07:01:02 +0000
/// ```
/// `for` names the recipient only when there is exactly one, as Postfix does,
/// so that a message to many does not list them all.
///
/// - SeeAlso: RFC 5321 §4.4, RFC 5322 §3.6.7
enum ReceivedHeader {
    static func make(
        client: ClientDescription, hostname: String, queueID: String, recipients: [String], smtpUTF8: Bool,
        secondsSince1970: Int
    ) -> [UInt8] {
        let helo = client.heloName ?? client.address
        var protocolName = client.protocolName
        if smtpUTF8 { protocolName = "UTF8" + protocolName.dropFirst(protocolName.hasPrefix("E") ? 1 : 0) }
        var lines = ["Received: from \(helo) (unknown \(client.addressLiteral))"]
        var by = "\tby \(hostname) (Poshta) with \(protocolName) id \(queueID)"
        if let tls = client.tls { by += " (using \(tls))" }
        lines.append(by)
        let date = RFC5322Date.format(secondsSince1970: secondsSince1970)
        if recipients.count == 1 {
            lines.append("\tfor <\(recipients[0])>; \(date)")
        } else {
            lines[lines.count - 1] += ";"
            lines.append("\t\(date)")
        }
        return Array(lines.joined(separator: "\r\n").utf8) + [0x0D, 0x0A]
    }
}
