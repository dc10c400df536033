public import Crypto
import Foundation
import MIME

/// Signs a finished message for one domain with one key (RFC 6376 §5):
/// the body hash, then the chosen header fields and the signature field
/// itself, canonicalized, hashed and signed; the result is the
/// `DKIM-Signature` field to put on top of the message.
public struct DKIMSigner: Sendable {
    /// The header fields signed unless configured otherwise: what a
    /// receiver shows or acts on. Absent ones are left out; From is signed
    /// once more than it occurs, so that a From added later breaks the
    /// signature (over-signing, RFC 6376 §8.15).
    public static let defaultHeaders = [
        "From", "To", "Subject", "Date", "Message-ID", "MIME-Version", "Content-Type", "List-Unsubscribe",
        "List-Unsubscribe-Post", "Reply-To", "In-Reply-To", "References",
    ]

    public var domain: String
    public var selector: String
    public var key: DKIMKey
    public var headerCanonicalization: DKIMCanonicalization
    public var bodyCanonicalization: DKIMCanonicalization
    public var headers: [String]
    /// Header names signed one extra time.
    public var overSigned: [String]
    /// Seconds a signature stays valid (`x=`); nil: no expiry.
    public var expiry: Int?

    public init(
        domain: String, selector: String, key: DKIMKey,
        headerCanonicalization: DKIMCanonicalization = .relaxed, bodyCanonicalization: DKIMCanonicalization = .relaxed,
        headers: [String] = DKIMSigner.defaultHeaders, overSigned: [String] = ["From"], expiry: Int? = nil
    ) {
        self.domain = domain
        self.selector = selector
        self.key = key
        self.headerCanonicalization = headerCanonicalization
        self.bodyCanonicalization = bodyCanonicalization
        self.headers = headers
        self.overSigned = overSigned
        self.expiry = expiry
    }

    /// The `DKIM-Signature` field (with its CRLF) for `message`, signed at `time` (seconds since 1970).
    public func signature(for message: [UInt8], time: Int) throws -> [UInt8] {
        let block = HeaderBlock(scanning: message)
        let names = signedNames(block)
        var tags: [(String, String)] = [
            ("v", "1"), ("a", key.algorithm.rawValue),
            ("c", "\(headerCanonicalization.rawValue)/\(bodyCanonicalization.rawValue)"), ("d", domain), ("s", selector),
            ("t", "\(time)"),
        ]
        if let expiry { tags.append(("x", "\(time + expiry)")) }
        tags.append(("h", names.joined(separator: ":")))
        tags.append(("bh", bodyHash(message, block)))
        let unsigned = DKIMTagList.field(tags)
        let signature = try sign(message, block, names: names, unsignedField: unsigned)
        return DKIMTagList.appendingSignature(signature, to: unsigned)
    }

    /// `bh=`: the canonicalized body's SHA-256, in base64.
    func bodyHash(_ message: [UInt8], _ block: HeaderBlock) -> String {
        let body = bodyCanonicalization.body(message[Self.bodyStart(message, block)...])
        return Data(SHA256.hash(data: body)).base64EncodedString()
    }

    /// `h=`: each listed name as often as it occurs, plus the over-signed ones once more.
    func signedNames(_ block: HeaderBlock) -> [String] {
        var names: [String] = []
        for name in headers {
            let count = block.fields.filter { $0.name.caseInsensitiveCompare(name) == .orderedSame }.count
            let extra = overSigned.contains { $0.caseInsensitiveCompare(name) == .orderedSame } ? 1 : 0
            names += Array(repeating: name.lowercased(), count: count + extra)
        }
        return names
    }

    /// `b=`'s value: the fields named in `names` (bottom-up for a name that
    /// repeats, nothing for one over-signed: RFC 6376 §5.4.2), then the
    /// signature field as written up to its empty `b=` (without its CRLF,
    /// §3.7), canonicalized, hashed and signed.
    func sign(_ message: [UInt8], _ block: HeaderBlock, names: [String], unsignedField: [UInt8]) throws -> String {
        var data: [UInt8] = []
        var used: [String: Int] = [:]
        for name in names.map({ $0.lowercased() }) {
            let occurrences = block.fields.filter { $0.name.lowercased() == name }
            let taken = used[name, default: 0]
            used[name] = taken + 1
            guard taken < occurrences.count else { continue }
            let field = occurrences[occurrences.count - 1 - taken]
            data += headerCanonicalization.header(message[field.range])
        }
        var own = headerCanonicalization.header(unsignedField[...])
        own.removeLast(2)
        data += own
        return Data(try key.sign(SHA256.hash(data: data))).base64EncodedString()
    }

    /// The message with its signature on top.
    public func sign(_ message: [UInt8], time: Int) throws -> [UInt8] {
        try signature(for: message, time: time) + message
    }

    /// Where the body begins: after the empty line that ends the header section.
    static func bodyStart(_ message: [UInt8], _ block: HeaderBlock) -> Int {
        var index = block.end
        guard block.hasSeparator else { return index }
        if index < message.count, message[index] == 0x0D { index += 1 }
        if index < message.count, message[index] == 0x0A { index += 1 }
        return index
    }
}
