/// Why `MIMEBuilder` refused to write a message: the input would make a
/// broken or unsafe header (CR/LF in a field is header injection).
public enum MIMEBuildError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Not an ASCII addr-spec the builder can write (see `MIMEBuilder`).
    case invalidAddress(String)
    /// Not an RFC 5322 field name of 1–76 octets.
    case invalidFieldName(String)
    /// The value of this field holds CR, LF or NUL (Date: anything but printable ASCII, or over 200 octets).
    case invalidFieldValue(name: String)
    /// An extra field the builder writes itself (From, Subject, Content-Type…).
    case reservedField(String)
    /// Not `<left@right>` in printable ASCII.
    case invalidMessageID(String)
    /// A given boundary that RFC 2046 §5.1.1 does not allow.
    case invalidBoundary(String)
    /// A given boundary that occurs in an encoded body.
    case boundaryInContent(String)

    public var description: String {
        switch self {
        case .invalidAddress(let address): "invalid address \"\(address)\""
        case .invalidFieldName(let name): "invalid header field name \"\(name)\""
        case .invalidFieldValue(let name): "the value of header field \(name) holds CR, LF or NUL"
        case .reservedField(let name): "header field \(name) is written by the builder"
        case .invalidMessageID(let id): "invalid Message-ID \"\(id)\""
        case .invalidBoundary(let boundary): "invalid MIME boundary \"\(boundary)\""
        case .boundaryInContent(let boundary): "MIME boundary \"\(boundary)\" occurs in the content"
        }
    }

    /// RFC 2046 §5.1.1: 1–70 `bchars`, not ending in a space.
    static func isValidBoundary(_ boundary: String) -> Bool {
        let allowed = "0123456789ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz'()+_,-./:=? ".utf8
        return (1...70).contains(boundary.utf8.count) && boundary.utf8.allSatisfy(allowed.contains)
            && boundary.utf8.last != .space
    }
}
