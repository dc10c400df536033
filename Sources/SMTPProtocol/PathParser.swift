#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// Parses the `<...>` paths of MAIL and RCPT and the addresses inside them.
///
/// Works on the bytes of a command line, already checked to be valid UTF-8.
/// Non-ASCII is accepted where RFC 6531 allows it; whether the client may use
/// it (did it say SMTPUTF8?) is the session's decision.
///
/// - SeeAlso: RFC 5321 §4.1.2, RFC 6531 §3.3
struct PathParser {
    /// A problem with the address; the command parser turns it into 501 5.1.7 or 5.1.3.
    enum Failure: Error, Equatable {
        case syntax(String)
        case sourceRoute
    }

    private let bytes: [UInt8]
    private(set) var index: Int

    init(_ bytes: [UInt8], at index: Int) {
        self.bytes = bytes
        self.index = index
    }

    private var current: UInt8? { index < bytes.count ? bytes[index] : nil }

    // Path = "<" [ A-d-l ":" ] Mailbox ">"
    // A-d-l = At-domain *( "," At-domain ); At-domain = "@" Domain
    /// Parses `<...>` starting at the current index; returns nil for `<>`.
    mutating func parsePath(allowPostmaster: Bool = false) throws(Failure) -> ForwardPathOrNull {
        let start = index
        guard current == UInt8(ascii: "<") else { throw .syntax("the address must be enclosed in <>") }
        index += 1
        if current == UInt8(ascii: ">") {
            index += 1
            return .null
        }
        if current == UInt8(ascii: "@") {
            // Parse the route fully so that garbage is still a syntax error.
            while current == UInt8(ascii: "@") {
                index += 1
                _ = try parseDomainOrLiteral()
                guard current == UInt8(ascii: ",") else { break }
                index += 1
                guard current == UInt8(ascii: "@") else {
                    throw .syntax("a source route lists @domains separated by ','")
                }
            }
            guard current == UInt8(ascii: ":") else { throw .syntax("a source route must end with ':'") }
            throw .sourceRoute
        }
        if allowPostmaster, let end = matchPostmaster() {
            index = end
            return .postmaster
        }
        let localPart = try parseLocalPart()
        guard current == UInt8(ascii: "@") else {
            throw .syntax(localPart.isEmpty ? "the address is empty" : "the address has no domain (expected local@domain)")
        }
        index += 1
        let domain = try parseDomainOrLiteral()
        guard current == UInt8(ascii: ">") else {
            if current == UInt8(ascii: "@") { throw .syntax("the address has more than one '@'") }
            throw .syntax("unexpected characters after the domain")
        }
        index += 1
        guard index - start <= SMTPDefaults.maxPathLength else {
            throw .syntax("the path is longer than \(SMTPDefaults.maxPathLength) octets")
        }
        return .mailbox(Mailbox(localPart: localPart, domain: domain))
    }

    enum ForwardPathOrNull: Equatable {
        case null, postmaster
        case mailbox(Mailbox)
    }

    private func matchPostmaster() -> Int? {
        let word = Array("postmaster>".utf8)
        guard index + word.count <= bytes.count else { return nil }
        for (offset, byte) in word.enumerated() where lowercased(bytes[index + offset]) != byte { return nil }
        return index + word.count
    }

    // Local-part = Dot-string / Quoted-string
    private mutating func parseLocalPart() throws(Failure) -> String {
        let start = index
        if current == UInt8(ascii: "\"") {
            // Quoted-string = DQUOTE *QcontentSMTP DQUOTE
            index += 1
            while true {
                guard let byte = current else { throw .syntax("the quoted local part is not closed") }
                if byte == UInt8(ascii: "\"") { index += 1; break }
                if byte == UInt8(ascii: "\\") {
                    // quoted-pairSMTP = %d92 %d32-126
                    index += 1
                    guard let next = current, (32...126).contains(next) else {
                        throw .syntax("bad escape in the quoted local part")
                    }
                    index += 1
                    continue
                }
                // qtextSMTP = %d32-33 / %d35-91 / %d93-126 / UTF8-non-ascii
                guard (32...126).contains(byte) || byte >= 0x80 else {
                    throw .syntax("control characters are not allowed in the local part")
                }
                index += 1
            }
        } else {
            // Dot-string = Atom *("."  Atom)
            var atomLength = 0
            while let byte = current, byte != UInt8(ascii: "@"), byte != UInt8(ascii: ">") {
                if byte == UInt8(ascii: ".") {
                    guard atomLength > 0 else { throw .syntax("the local part has an empty part between dots") }
                    atomLength = 0
                } else if isAtext(byte) {
                    atomLength += 1
                } else {
                    throw .syntax("the character '\(printable(byte))' is not allowed in an unquoted local part")
                }
                index += 1
            }
            if index > start && atomLength == 0 { throw .syntax("the local part ends with a dot") }
        }
        guard index - start <= SMTPDefaults.maxLocalPartLength else {
            throw .syntax("the local part is longer than \(SMTPDefaults.maxLocalPartLength) octets")
        }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    // Domain / address-literal
    mutating func parseDomainOrLiteral() throws(Failure) -> MailDomain {
        if current == UInt8(ascii: "[") { return try parseAddressLiteral() }
        let start = index
        // Domain = sub-domain *("." sub-domain); sub-domain = Let-dig [Ldh-str]
        var labelStart = index
        func checkLabel(_ end: Int) throws(Failure) {
            guard end > labelStart else { throw .syntax("the domain has an empty label") }
            guard end - labelStart <= 63 else { throw .syntax("a domain label is longer than 63 octets") }
            guard bytes[labelStart] != UInt8(ascii: "-"), bytes[end - 1] != UInt8(ascii: "-") else {
                throw .syntax("a domain label may not begin or end with '-'")
            }
        }
        while let byte = current, byte != UInt8(ascii: ">"), byte != UInt8(ascii: ","), byte != UInt8(ascii: ":"),
            byte != UInt8(ascii: " "), byte != UInt8(ascii: "@")
        {
            if byte == UInt8(ascii: ".") {
                try checkLabel(index)
                labelStart = index + 1
            } else if !(isLetDig(byte) || byte == UInt8(ascii: "-") || byte >= 0x80) {
                throw .syntax("the character '\(printable(byte))' is not allowed in a domain")
            }
            index += 1
        }
        guard index > start else { throw .syntax("the domain is empty") }
        try checkLabel(index)
        guard index - start <= SMTPDefaults.maxDomainLength else {
            throw .syntax("the domain is longer than \(SMTPDefaults.maxDomainLength) octets")
        }
        return .name(String(decoding: bytes[start..<index], as: UTF8.self))
    }

    // address-literal = "[" ( IPv4-address-literal / IPv6-address-literal / General-address-literal ) "]"
    private mutating func parseAddressLiteral() throws(Failure) -> MailDomain {
        index += 1
        let start = index
        while let byte = current, byte != UInt8(ascii: "]") {
            guard (33...126).contains(byte), byte != UInt8(ascii: "[") , byte != UInt8(ascii: "\\") else {
                throw .syntax("bad character in an address literal")
            }
            index += 1
        }
        guard current == UInt8(ascii: "]") else { throw .syntax("the address literal is not closed with ']'") }
        let text = String(decoding: bytes[start..<index], as: UTF8.self)
        index += 1
        if let colon = text.firstIndex(of: ":") {
            let tag = String(text[..<colon])
            let content = String(text[text.index(after: colon)...])
            if tag.lowercased() == "ipv6" {
                guard Self.isIPv6(content) else { throw .syntax("'\(content)' is not an IPv6 address") }
                return .ipv6(content)
            }
            // General-address-literal = Standardized-tag ":" 1*dcontent; Ldh-str tag
            guard let last = tag.utf8.last, isLetDig(last), !content.isEmpty,
                tag.utf8.allSatisfy({ isLetDig($0) || $0 == UInt8(ascii: "-") })
            else {
                throw .syntax("'[\(text)]' is not a valid address literal")
            }
            return .general(tag: tag, content: content)
        }
        guard Self.isIPv4(text) else { throw .syntax("'[\(text)]' is not an IPv4 address literal") }
        return .ipv4(text)
    }

    static func isIPv4(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4
            && parts.allSatisfy { part in
                !part.isEmpty && part.count <= 3 && part.utf8.allSatisfy { (48...57).contains($0) }
                    && (Int(part) ?? 256) <= 255
            }
    }

    static func isIPv6(_ text: String) -> Bool {
        var storage = in6_addr()
        return inet_pton(AF_INET6, text, &storage) == 1
    }
}

// atext = ALPHA / DIGIT / "!" / "#" / "$" / "%" / "&" / "'" / "*" / "+" / "-" /
//         "/" / "=" / "?" / "^" / "_" / "`" / "{" / "|" / "}" / "~"  (RFC 5322 §3.2.3)
// plus UTF8-non-ascii (RFC 6531 §3.3)
@inline(__always) func isAtext(_ byte: UInt8) -> Bool {
    if byte >= 0x80 { return true }
    if isLetDig(byte) { return true }
    switch byte {
    case UInt8(ascii: "!"), UInt8(ascii: "#"), UInt8(ascii: "$"), UInt8(ascii: "%"), UInt8(ascii: "&"),
        UInt8(ascii: "'"), UInt8(ascii: "*"), UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "/"),
        UInt8(ascii: "="), UInt8(ascii: "?"), UInt8(ascii: "^"), UInt8(ascii: "_"), UInt8(ascii: "`"),
        UInt8(ascii: "{"), UInt8(ascii: "|"), UInt8(ascii: "}"), UInt8(ascii: "~"):
        return true
    default:
        return false
    }
}

@inline(__always) func isLetDig(_ byte: UInt8) -> Bool {
    (48...57).contains(byte) || (65...90).contains(byte) || (97...122).contains(byte)
}

@inline(__always) func lowercased(_ byte: UInt8) -> UInt8 {
    (65...90).contains(byte) ? byte + 32 : byte
}

func printable(_ byte: UInt8) -> String {
    (33...126).contains(byte) ? String(UnicodeScalar(byte)) : "\\x" + String(byte, radix: 16, uppercase: true)
}
