import Foundation
import MIME

extension DeliveryStatusNotification {
    /// Width the explanation is wrapped to; continuation lines are indented.
    static let explanationWidth = 76

    /// The first part: a plain-English explanation for the person who sent the mail,
    /// after Postfix's bounce templates (`src/bounce/bounce_template.c`).
    ///
    /// - SeeAlso: RFC 6522 §3 (the first part is human-readable)
    var explanationLines: [String] {
        let failed = recipients.filter { $0.action == .failed }
        let delayed = recipients.filter { $0.action == .delayed }
        var lines = ["This is the mail system at host \(Field.sanitized(reportingMTA)).", ""]
        if isDelayWarning {
            lines += [
                "####################################################################",
                "# THIS IS A WARNING ONLY.  YOU DO NOT NEED TO RESEND YOUR MESSAGE. #",
                "####################################################################",
                "",
                "Your message could not be delivered yet to one or more recipients.",
            ]
            if let until = delayed.compactMap(\.willRetryUntil).max() {
                lines.append("The mail system will keep trying until \(Self.formatted(until)).")
            } else {
                lines.append("The mail system will keep trying to deliver it.")
            }
            lines.append("The headers of your message are attached below.")
        } else {
            lines += [
                "I'm sorry to have to inform you that your message could not",
                "be delivered to one or more recipients. The headers of your",
                "message are attached below.",
            ]
        }
        lines += [
            "",
            "For further assistance, please send mail to postmaster.",
            "",
            "If you do so, please include this problem report.",
            "",
            "                   The mail system",
        ]
        let listed = isDelayWarning ? delayed : failed
        for recipient in listed {
            lines.append("")
            lines += Self.wrapped(Self.sentence(for: recipient))
        }
        if !isDelayWarning, !delayed.isEmpty {
            lines += [
                "",
                "Delivery to the following recipients is delayed and is still being",
                "retried; you do not need to resend your message to them.",
            ]
            for recipient in delayed {
                lines.append("")
                lines += Self.wrapped(Self.sentence(for: recipient))
            }
        }
        return lines
    }

    /// `<bob@example.org>: host mx.example.org said: 550 5.1.1 User unknown`
    static func sentence(for recipient: RecipientReport) -> String {
        let prefix = "<\(Field.sanitized(recipient.finalRecipient))>: "
        switch recipient.diagnostic {
        case .smtp(let reply):
            let host = recipient.remoteMTA.map { "host \(Field.sanitized($0))" } ?? "the remote server"
            return prefix + "\(host) said: \(Field.sanitized(reply))"
        case .local(let text):
            return prefix + Field.sanitized(text)
        case nil:
            let what = recipient.action == .failed ? "delivery failed" : "delivery delayed"
            return prefix + "\(what) (status \(recipient.validStatus))"
        }
    }

    /// Words of `text` filled into lines of `explanationWidth` characters; continuation
    /// lines are indented by four spaces. A longer word stays whole on its own line.
    static func wrapped(_ text: String) -> [String] {
        var lines: [String] = []
        var line = ""
        for word in text.split(separator: " ") {
            if line.isEmpty {
                line = lines.isEmpty ? String(word) : "    " + word
            } else if line.count + 1 + word.count > explanationWidth {
                lines.append(line)
                line = "    " + word
            } else {
                line += " " + word
            }
        }
        if !line.isEmpty { lines.append(line) }
        return lines
    }

    /// The explanation part's body and its transfer encoding: 7bit when every octet is
    /// ASCII and every line fits 998 octets, quoted-printable otherwise.
    func explanationBody() -> (encoding: String, bytes: [UInt8]) {
        let lines = explanationLines.map { Array($0.utf8) }
        let isSevenBit = lines.allSatisfy { line in
            line.count <= Field.hardLimit && line.allSatisfy { $0 < 0x80 }
        }
        if isSevenBit {
            return ("7bit", lines.flatMap { $0 + [0x0D, 0x0A] })
        }
        return ("quoted-printable", QuotedPrintable.encode(lines.flatMap { $0 + [0x0D, 0x0A] }))
    }

    /// A date as RFC 5322 writes it, in UTC.
    static func formatted(_ date: Date) -> String {
        RFC5322Date.format(secondsSince1970: Int(date.timeIntervalSince1970.rounded(.down)))
    }
}
