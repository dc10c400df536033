public import Foundation

/// One delivery status notification (a bounce, or a delay warning) for one
/// original message: the recipients that failed or are delayed in one pass of
/// the queue manager, as the bytes of an RFC 5322 message.
///
/// A `multipart/report; report-type=delivery-status` with three parts: a
/// plain-English explanation, the `message/delivery-status` report, and the
/// original header section (`text/rfc822-headers`; the body is not returned,
/// which keeps bounces small). Every line ends in CRLF and fits 998 octets;
/// the message is 7-bit when the inputs are ASCII. A value, no I/O: the caller
/// puts the bytes on the spool with the null reverse path.
///
/// The report is a delay warning when every recipient is delayed, and a bounce
/// otherwise; a bounce lists its delayed recipients apart.
///
/// - SeeAlso: RFC 3464 (delivery-status), RFC 6522 (multipart/report),
///   RFC 3461 §6 (when to send), RFC 3834 (Auto-Submitted), RFC 6533 (UTF-8 addresses)
public struct DeliveryStatusNotification: Sendable {
    /// Our hostname: `Reporting-MTA: dns; mail.shop.example`, and the From address's domain.
    public var reportingMTA: String
    /// The original message's queue id, as `X-Poshta-Queue-ID` in the report.
    public var originalQueueID: String
    /// The envelope sender of the original message, to whom the report goes. Never
    /// empty: the caller never reports on a report.
    public var originalSender: String
    public var arrivalDate: Date
    public var recipients: [RecipientReport]
    /// The original message; only its header section is returned.
    public var originalMessage: [UInt8]
    /// When the report is made.
    public var date: Date
    /// `<…@hostname>`; see ``makeMessageID(queueID:hostname:date:)``.
    public var messageID: String

    public init(
        reportingMTA: String,
        originalQueueID: String,
        originalSender: String,
        arrivalDate: Date,
        recipients: [RecipientReport],
        originalMessage: [UInt8],
        date: Date,
        messageID: String
    ) {
        self.reportingMTA = reportingMTA
        self.originalQueueID = originalQueueID
        self.originalSender = originalSender
        self.arrivalDate = arrivalDate
        self.recipients = recipients
        self.originalMessage = originalMessage
        self.date = date
        self.messageID = messageID
    }

    /// A Message-ID for a report: `<seconds.queueid@hostname>`, like Postfix's
    /// `<date.queueid@myhostname>`.
    public static func makeMessageID(queueID: String, hostname: String, date: Date) -> String {
        let seconds = Int(date.timeIntervalSince1970.rounded(.down))
        return "<\(seconds).\(Field.token(queueID))@\(Field.token(hostname))>"
    }

    /// True when every recipient is delayed: a warning, not a bounce.
    public var isDelayWarning: Bool {
        !recipients.isEmpty && recipients.allSatisfy { $0.action == .delayed }
    }

    public var subject: String {
        isDelayWarning ? "Delayed Mail (still being retried)" : "Undelivered Mail Returned to Sender"
    }

    /// True when the report must travel with SMTPUTF8: the sender's address, or
    /// the returned header section, is not ASCII.
    public var requiresSMTPUTF8: Bool {
        !originalSender.unicodeScalars.allSatisfy(\.isASCII) || returnedHeaders().isEightBit
    }

    /// The whole message, CRLF line endings.
    public func encoded() -> [UInt8] {
        let explanation = explanationBody()
        let headers = returnedHeaders()
        let parts: [(fields: [HeaderLine], body: [UInt8])] = [
            (
                [
                    ("Content-Description", "Notification"),
                    ("Content-Type", "text/plain; charset=utf-8"),
                    ("Content-Transfer-Encoding", explanation.encoding),
                ],
                explanation.bytes
            ),
            (
                [
                    ("Content-Description", "Delivery report"),
                    ("Content-Type", "message/delivery-status"),
                ],
                deliveryStatusBody()
            ),
            (
                headers.isEightBit
                    ? [
                        ("Content-Description", "\(isDelayWarning ? "Delayed" : "Undelivered") Message Headers"),
                        ("Content-Type", "message/global-headers"),
                        ("Content-Transfer-Encoding", "8bit"),
                    ]
                    : [
                        ("Content-Description", "\(isDelayWarning ? "Delayed" : "Undelivered") Message Headers"),
                        ("Content-Type", "text/rfc822-headers"),
                    ],
                headers.bytes
            ),
        ]
        let boundary = Self.boundary(
            base: "\(originalQueueID).\(Int(date.timeIntervalSince1970.rounded(.down)))/\(reportingMTA)",
            avoiding: parts.map { $0.fields.flatMap { Field.encoded($0.name, $0.value) } + $0.body }
        )
        let host = Field.token(reportingMTA)
        var top: [HeaderLine] = [
            ("From", "Mail Delivery System <MAILER-DAEMON@\(host)>"),
            ("To", "<\(Field.sanitized(originalSender))>"),
            ("Subject", subject),
            ("Date", Self.formatted(date)),
            ("Message-ID", Field.sanitized(messageID)),
            ("MIME-Version", "1.0"),
            ("Auto-Submitted", "auto-replied"),
            ("Content-Type", "multipart/report; report-type=delivery-status; boundary=\"\(boundary)\""),
        ]
        if headers.isEightBit { top.append(("Content-Transfer-Encoding", "8bit")) }

        var out = top.flatMap { Field.encoded($0.name, $0.value) }
        out += Array("\r\nThis is a MIME-encapsulated message.\r\n".utf8)
        for part in parts {
            out += Array("\r\n--\(boundary)\r\n".utf8)
            out += part.fields.flatMap { Field.encoded($0.name, $0.value) }
            out += [0x0D, 0x0A]
            out += part.body
        }
        out += Array("\r\n--\(boundary)--\r\n".utf8)
        return out
    }

    private typealias HeaderLine = (name: String, value: String)

    /// A boundary made of `base`'s boundary characters, at most 70 octets, that occurs
    /// in none of `bodies`: when it does, a counter is added until it does not.
    ///
    /// - SeeAlso: RFC 2046 §5.1.1
    static func boundary(base: String, avoiding bodies: [[UInt8]]) -> String {
        // bchars without the space, which may not end a boundary and would fold.
        let allowed = Set("0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'()+_,-./:=?".utf8)
        var stem = String(decoding: base.utf8.filter(allowed.contains).prefix(60), as: UTF8.self)
        if stem.isEmpty { stem = "poshta-report" }
        var candidate = stem
        var counter = 0
        while bodies.contains(where: { Self.contains($0, Array(candidate.utf8)) }) {
            counter += 1
            candidate = "\(stem).\(counter)"
        }
        return candidate
    }

    private static func contains(_ haystack: [UInt8], _ needle: [UInt8]) -> Bool {
        guard !needle.isEmpty, haystack.count >= needle.count else { return false }
        for start in 0...(haystack.count - needle.count)
        where haystack[start] == needle[0] && haystack[start..<start + needle.count].elementsEqual(needle) {
            return true
        }
        return false
    }
}
