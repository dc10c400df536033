public import Foundation
public import MIME
public import Templates

/// Puts a rendered template into the message that leaves: the shop's From,
/// the addressees, the text and HTML as multipart/alternative, a fresh
/// Message-ID and Date, and `Auto-Submitted: auto-generated` on every
/// notification (RFC 3834, so that vacation responders stay quiet).
/// Marketing mail is not marked: it is not a reply to anything and
/// receivers treat the field as a sign of transactional mail.
///
/// The one place such a message is assembled: the intake path, the
/// automations and `poshta template preview` all use it.
public struct ShopMailComposer: Sendable {
    /// Our name, the right-hand side of the Message-IDs.
    public var hostname: String

    public init(hostname: String) {
        self.hostname = hostname
    }

    public func compose(
        _ mail: TemplateRenderer.Rendered, from: MIMEBuilder.Mailbox, to: [MIMEBuilder.Mailbox],
        replyTo: [MIMEBuilder.Mailbox] = [], extraFields: [HeaderField] = [], messageID: String? = nil, now: Date = .now
    ) throws(MIMEBuildError) -> [UInt8] {
        var builder = MIMEBuilder(
            from: from, to: to, subject: mail.subject, body: .alternative(text: mail.text, html: mail.html))
        builder.replyTo = replyTo
        builder.date = RFC5322Date.format(secondsSince1970: Int(now.timeIntervalSince1970))
        builder.messageID = messageID ?? self.messageID()
        builder.extraFields = (mail.kind == .marketing ? [] : [HeaderField("Auto-Submitted", "auto-generated")]) + extraFields
        return try builder.build()
    }

    /// A new `<uuid@hostname>`.
    public func messageID() -> String {
        "<\(UUID().uuidString.lowercased())@\(hostname)>"
    }
}
