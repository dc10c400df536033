// The header section of a built message: each field checked, then folded.
extension MIMEBuilder {
    /// The fields before MIME-Version, as lines.
    func headerSection() throws(MIMEBuildError) -> [UInt8] {
        var section: [UInt8] = []
        if let date {
            guard date.utf8.count <= 200, date.utf8.allSatisfy({ (0x20...0x7E).contains($0) }) else {
                throw .invalidFieldValue(name: "Date")
            }
            section += HeaderFolder.field("Date", HeaderFolder.words(date))
        }
        section += HeaderFolder.field("From", try Self.mailboxList([from]))
        if !to.isEmpty { section += HeaderFolder.field("To", try Self.mailboxList(to)) }
        if !cc.isEmpty { section += HeaderFolder.field("Cc", try Self.mailboxList(cc)) }
        if !replyTo.isEmpty { section += HeaderFolder.field("Reply-To", try Self.mailboxList(replyTo)) }
        section += HeaderFolder.field("Subject", EncodedWord.pieces(forUnstructured: Self.oneLine(subject)))
        if let messageID {
            section += HeaderFolder.field("Message-ID", [.word(try Self.checkedMessageID(messageID))])
        }
        for field in extraFields {
            guard Self.isFieldName(field.name) else { throw .invalidFieldName(field.name) }
            guard !Self.reservedNames.contains(field.name.lowercased()) else { throw .reservedField(field.name) }
            guard !field.value.utf8.contains(where: { $0 == .cr || $0 == .lf || $0 == 0 }) else {
                throw .invalidFieldValue(name: field.name)
            }
            section += HeaderFolder.field(field.name, EncodedWord.pieces(forUnstructured: field.value))
        }
        return section
    }

    /// Fields the builder writes itself.
    static let reservedNames: Set<String> = [
        "date", "from", "to", "cc", "reply-to", "subject", "message-id", "mime-version", "content-type",
        "content-transfer-encoding",
    ]

    /// `a <x@y>, "B, C" <z@w>` as folder pieces, addresses checked.
    static func mailboxList(_ mailboxes: [Mailbox]) throws(MIMEBuildError) -> [HeaderFolder.Piece] {
        var pieces: [HeaderFolder.Piece] = []
        for (position, mailbox) in mailboxes.enumerated() {
            guard isAddress(mailbox.address) else { throw .invalidAddress(mailbox.address) }
            var these = MailboxText.pieces(displayName: mailbox.displayName.map(oneLine), address: mailbox.address)
            if position < mailboxes.count - 1, case .word(let last) = these.last {
                these[these.count - 1] = .word(last + ",")
            }
            pieces += these
        }
        return pieces
    }

    /// Human text for one header line: CR, LF and TAB (and CRLF) become a space; outer spaces go.
    static func oneLine(_ text: String) -> String {
        var scalars = String.UnicodeScalarView()
        var previousWasCR = false
        for scalar in text.unicodeScalars {
            defer { previousWasCR = scalar == "\r" }
            if scalar == "\n", previousWasCR { continue }
            scalars.append(scalar == "\r" || scalar == "\n" || scalar == "\t" ? " " : scalar)
        }
        return Substring(String(scalars)).trimmingSpaces
    }

    /// A plain ASCII addr-spec: `local@domain`, no spaces, controls, or
    /// characters that would end it inside a header (`<>(),;"\`).
    /// Quoted local parts and SMTPUTF8 addresses are not accepted.
    static func isAddress(_ address: String) -> Bool {
        let bytes = Array(address.utf8)
        guard let at = bytes.lastIndex(of: UInt8(ascii: "@")), at > 0, at < bytes.count - 1, bytes.count <= 254 else {
            return false
        }
        return bytes.allSatisfy { (0x21...0x7E).contains($0) && !"<>(),;\"\\".utf8.contains($0) }
    }

    /// `<id@host>`: brackets added when missing; printable ASCII with an `@`.
    static func checkedMessageID(_ id: String) throws(MIMEBuildError) -> String {
        var bare = Substring(id)
        if bare.hasPrefix("<"), bare.hasSuffix(">"), bare.count >= 2 { bare = bare.dropFirst().dropLast() }
        let bytes = Array(bare.utf8)
        guard let at = bytes.firstIndex(of: UInt8(ascii: "@")), at > 0, at < bytes.count - 1, bytes.count <= 900,
            bytes.allSatisfy({ (0x21...0x7E).contains($0) && $0 != UInt8(ascii: "<") && $0 != UInt8(ascii: ">") })
        else { throw .invalidMessageID(id) }
        return "<\(bare)>"
    }

    /// RFC 5322 §3.6.8 field-name, at most 76 octets so that a field can fold.
    static func isFieldName(_ name: String) -> Bool {
        (1...76).contains(name.utf8.count)
            && name.utf8.allSatisfy { (33...126).contains($0) && $0 != UInt8(ascii: ":") }
    }
}
