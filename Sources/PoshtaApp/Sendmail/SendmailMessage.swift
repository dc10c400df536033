import MIME

/// The message `poshta sendmail` submits, prepared from what came on
/// standard input: CRLF line endings, the envelope, and the few header
/// changes a local submission needs (Postfix's sendmail and cleanup do the same).
///
/// - Line endings: LF (what PHP writes), CRLF, and a lone CR all become CRLF.
/// - Without `-i`, a line holding a single "." ends the input, as it always
///   has with sendmail; with `-i` it is an ordinary line (dot-stuffing on
///   the wire is the SMTP client's job).
/// - A leading mbox `From ` line is dropped.
/// - With `-t`, the addresses in To, Cc and Bcc are added to those of the
///   command line (Postfix's behaviour; Sendmail 8 would remove them); when
///   the message has Resent-To/Cc/Bcc, those are read instead (RFC 5322 §3.6.6).
/// - Bcc (and Resent-Bcc) is removed, with or without `-t`: it must never
///   reach the other recipients.
/// - A From header is added when missing, with the `-F` name.
///
/// - SeeAlso: RFC 5322 §3.6.2 (From), §3.6.3 (Bcc); Postfix `sendmail(1)`
public struct SendmailMessage: Sendable, Equatable {
    /// The reverse path without brackets; "" for the null sender.
    public var sender: String
    /// Unique recipients, command line first, then headers, in order.
    public var recipients: [String]
    /// The message, every line ending in CRLF.
    public var content: [UInt8]
    /// Whether to declare `BODY=8BITMIME`.
    public var eightBitMIME: Bool

    /// Prepares `input` as `arguments` say. `defaultSender` is used when
    /// there is no `-f`, and for the From header of a null-sender message;
    /// `hostname` completes a `-f` given without a domain.
    public static func prepare(
        input: [UInt8], arguments: SendmailArguments, defaultSender: String, hostname: String
    ) throws(SendmailError) -> SendmailMessage {
        let sender = try envelopeSender(arguments.sender, defaultSender: defaultSender, hostname: hostname)
        var content = normalized(input, endAtDot: !arguments.ignoreDots)
        let headers = HeaderBlock(scanning: content)

        var recipients = arguments.recipients
        if arguments.recipientsFromHeaders {
            recipients += try headerRecipients(in: content, headers: headers)
        }
        recipients = unique(recipients)
        guard !recipients.isEmpty else {
            throw SendmailError(
                arguments.recipientsFromHeaders ? .dataError : .usage,
                "no recipients: give them as arguments or use -t")
        }

        // Edits from the end backwards, so that earlier ranges stay valid.
        if !headers.contains("From") {
            let address = sender.isEmpty ? defaultSender : sender
            var added = MailboxText.field("From", displayName: arguments.fullName.flatMap(Self.cleanName), address: address)
            // A message without an empty line after its headers needs one,
            // or the body would read as more header.
            if !headers.hasSeparator { added += [0x0D, 0x0A] }
            content.insert(contentsOf: added, at: headers.end)
        }
        let blind: Set<String> = ["bcc", "resent-bcc"]
        for field in headers.fields.reversed() where blind.contains(field.name.lowercased()) {
            content.removeSubrange(field.range)
        }

        let eightBit = arguments.bodyType == .eightBitMIME || content.contains { $0 >= 0x80 }
        return SendmailMessage(sender: sender, recipients: recipients, content: content, eightBitMIME: eightBit)
    }

    /// The `-F` name with control characters (CR and LF among them) as
    /// spaces and runs of spaces as one: a name must never be able to start
    /// a header line of its own. Nil when nothing is left.
    static func cleanName(_ name: String) -> String? {
        let cleaned = String(
            String.UnicodeScalarView(name.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? " " : $0 }))
        let trimmed = cleaned.split(separator: " ").joined(separator: " ")
        return trimmed.isEmpty ? nil : trimmed
    }

    /// `login@hostname`, the sender when no `-f` is given (Postfix's `$myorigin`).
    public static func defaultSender(login: String, hostname: String) -> String {
        "\(login)@\(hostname)"
    }

    /// The `-f` address, checked; a bare name gets `@hostname`, as the default sender does.
    static func envelopeSender(
        _ given: String?, defaultSender: String, hostname: String
    ) throws(SendmailError) -> String {
        guard let given else { return defaultSender }
        if given.isEmpty { return "" }
        let qualified = given.contains("@") ? given : "\(given)@\(hostname)"
        let addresses: [String]
        do {
            addresses = try AddressList.addresses(in: qualified)
        } catch {
            throw SendmailError(.noUser, "bad sender -f \"\(given)\": \(error)")
        }
        guard addresses.count == 1 else {
            throw SendmailError(.noUser, "bad sender -f \"\(given)\": give exactly one address")
        }
        return addresses[0]
    }

    // MARK: - Lines

    /// Every line ended by CRLF; without `-i`, nothing after a "." line.
    static func normalized(_ input: [UInt8], endAtDot: Bool) -> [UInt8] {
        var output: [UInt8] = []
        output.reserveCapacity(input.count + input.count / 32 + 2)
        var lineStart = 0
        var index = 0
        var first = true
        while lineStart < input.count {
            while index < input.count, input[index] != 0x0A, input[index] != 0x0D { index += 1 }
            let line = input[lineStart..<index]
            // CRLF is one line end; a lone CR or a lone LF is one too.
            if index < input.count, input[index] == 0x0D, index + 1 < input.count, input[index + 1] == 0x0A {
                index += 2
            } else if index < input.count {
                index += 1
            }
            lineStart = index
            if endAtDot, line.count == 1, line.first == UInt8(ascii: ".") { break }
            // An mbox separator ("From sender date") is not a header (Postfix drops it too).
            if first, line.starts(with: Array("From ".utf8)) {
                first = false
                continue
            }
            first = false
            output += line
            output += [0x0D, 0x0A]
        }
        return output
    }

    // MARK: - Headers

    /// The addresses of To, Cc and Bcc (or of their Resent- forms), unfolded.
    static func headerRecipients(in content: [UInt8], headers: HeaderBlock) throws(SendmailError) -> [String] {
        let resent = headers.fields.contains {
            ["resent-to", "resent-cc", "resent-bcc"].contains($0.name.lowercased())
        }
        let names: Set<String> = resent ? ["resent-to", "resent-cc", "resent-bcc"] : ["to", "cc", "bcc"]
        var recipients: [String] = []
        for field in headers.fields where names.contains(field.name.lowercased()) {
            let value = unfoldedValue(of: field, in: content)
            do {
                recipients += try AddressList.addresses(in: value)
            } catch {
                throw SendmailError(.dataError, "cannot read the \(field.name) header: \(error)")
            }
        }
        return recipients
    }

    /// The field's value after the colon, with its line breaks removed
    /// (RFC 5322 §2.2.3: unfolding removes CRLF, keeps the whitespace).
    static func unfoldedValue(of field: HeaderBlock.Field, in content: [UInt8]) -> String {
        let bytes = content[field.range].drop { $0 != UInt8(ascii: ":") }.dropFirst()
        return String(decoding: bytes.filter { $0 != 0x0D && $0 != 0x0A }, as: UTF8.self)
    }

    /// Duplicates removed, first place kept. The local part is compared
    /// exactly (RFC 5321 §2.4 leaves its case to the receiving host), the
    /// domain without case.
    static func unique(_ addresses: [String]) -> [String] {
        var seen: Set<String> = []
        return addresses.filter { address in
            let key: String
            if let at = address.lastIndex(of: "@") {
                key = address[..<at] + address[at...].lowercased()
            } else {
                key = address
            }
            return seen.insert(key).inserted
        }
    }
}
