import MIME

extension DeliveryStatusNotification {
    /// The second part: per-message fields, then one block per recipient, each
    /// block after an empty line. 7-bit whatever the input.
    ///
    /// ```
    /// per-message-fields = reporting-mta-field CRLF [ arrival-date-field CRLF ] *( extension-field CRLF )
    /// per-recipient-fields = final-recipient-field CRLF action-field CRLF status-field CRLF
    ///     [ remote-mta-field CRLF ] [ diagnostic-code-field CRLF ] [ last-attempt-date-field CRLF ]
    ///     [ will-retry-until-field CRLF ] *( extension-field CRLF )
    /// ```
    /// - SeeAlso: RFC 3464 §2.2, §2.3
    func deliveryStatusBody() -> [UInt8] {
        var out = Field.encoded("Reporting-MTA", "dns; \(Field.token(reportingMTA))")
        out += Field.encoded("Arrival-Date", Self.formatted(arrivalDate))
        // An extension field, so after the standard ones as the grammar orders them.
        out += Field.encoded("X-Poshta-Queue-ID", Field.token(originalQueueID))
        for recipient in recipients {
            out += [0x0D, 0x0A]
            out += Field.encoded("Final-Recipient", Field.typedAddress(recipient.finalRecipient))
            out += Field.encoded("Action", recipient.action.rawValue)
            out += Field.encoded("Status", recipient.validStatus)
            if let host = recipient.remoteMTA.map(Field.token), !host.isEmpty {
                out += Field.encoded("Remote-MTA", "dns; \(host)")
            }
            switch recipient.diagnostic {
            case .smtp(let reply):
                out += Field.encoded("Diagnostic-Code", "smtp; \(Field.token(reply))")
            case .local(let text):
                out += Field.encoded("Diagnostic-Code", "X-Poshta; \(Field.token(text))")
            case nil:
                break
            }
            if let date = recipient.lastAttemptDate {
                out += Field.encoded("Last-Attempt-Date", Self.formatted(date))
            }
            if recipient.action == .delayed, let date = recipient.willRetryUntil {
                out += Field.encoded("Will-Retry-Until", Self.formatted(date))
            }
        }
        return out
    }

    /// The third part: the original header section, every line ending in CRLF.
    ///
    /// The bytes are kept except where they would break the report: a bare CR or a
    /// NUL becomes a space, and a line over 998 octets is cut into continuation
    /// lines. Empty when the message has no header section. `isEightBit` when it
    /// holds non-ASCII octets (an SMTPUTF8 message): then it is returned as
    /// `message/global-headers`.
    ///
    /// - SeeAlso: RFC 6522 §4 (text/rfc822-headers), RFC 6533 §6.3 (message/global-headers)
    func returnedHeaders() -> (bytes: [UInt8], isEightBit: Bool) {
        let block = HeaderBlock(scanning: originalMessage)
        var out: [UInt8] = []
        var isEightBit = false
        for rawLine in originalMessage[0..<block.end].split(separator: 0x0A, omittingEmptySubsequences: false) {
            var line = Array(rawLine)
            if line.last == 0x0D { line.removeLast() }
            if line.isEmpty { continue }  // the piece after the final LF
            for index in line.indices where line[index] == 0x0D || line[index] == 0x00 {
                line[index] = 0x20
            }
            isEightBit = isEightBit || line.contains { $0 >= 0x80 }
            out += Self.cut(line)
        }
        return (out, isEightBit)
    }

    /// A header line as one or more lines of at most 998 octets with CRLF; the
    /// later ones start with a space so they continue the field. Cuts never split
    /// a UTF-8 sequence.
    private static func cut(_ line: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        var start = 0
        var first = true
        while true {
            let room = first ? Field.hardLimit : Field.hardLimit - 1
            var end = min(start + room, line.count)
            if end < line.count {
                while end > start + 1, line[end] & 0xC0 == 0x80 { end -= 1 }
            }
            if !first { out.append(0x20) }
            out += line[start..<end]
            out += [0x0D, 0x0A]
            if end == line.count { return out }
            start = end
            first = false
        }
    }
}
