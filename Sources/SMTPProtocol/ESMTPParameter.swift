/// One `keyword[=value]` after the path of MAIL or RCPT.
///
/// - SeeAlso: RFC 5321 §4.1.2 (`esmtp-param`)
public struct ESMTPParameter: Hashable, Sendable, CustomStringConvertible {
    /// Upper-cased keyword.
    public var keyword: String
    public var value: String?

    public init(_ keyword: String, _ value: String? = nil) {
        self.keyword = keyword.uppercased()
        self.value = value
    }

    public var description: String { value.map { "\(keyword)=\($0)" } ?? keyword }
}

/// The body type a client announces with `BODY=`.
///
/// - SeeAlso: RFC 6152 (8BITMIME)
public enum BodyType: String, Hashable, Sendable {
    case sevenBit = "7BIT"
    case eightBitMIME = "8BITMIME"
}

/// The parameters of `MAIL FROM` that Poshta understands, and any others as
/// they came (the session refuses those it did not advertise).
public struct MailParameters: Hashable, Sendable {
    /// `SIZE=` (RFC 1870): the client's estimate of the message size.
    public var size: Int?
    /// `BODY=` (RFC 6152).
    public var body: BodyType?
    /// `SMTPUTF8` (RFC 6531): addresses and headers may be UTF-8.
    public var smtpUTF8: Bool
    /// Parameters this codec does not model, in the order given.
    public var other: [ESMTPParameter]

    public init(size: Int? = nil, body: BodyType? = nil, smtpUTF8: Bool = false, other: [ESMTPParameter] = []) {
        self.size = size
        self.body = body
        self.smtpUTF8 = smtpUTF8
        self.other = other
    }

    /// The parameters in wire order: SIZE, BODY, SMTPUTF8, then the others.
    public var all: [ESMTPParameter] {
        var list: [ESMTPParameter] = []
        if let size { list.append(ESMTPParameter("SIZE", String(size))) }
        if let body { list.append(ESMTPParameter("BODY", body.rawValue)) }
        if smtpUTF8 { list.append(ESMTPParameter("SMTPUTF8")) }
        return list + other
    }
}
