/// Why a leaf's body could not be turned into bytes or text.
public enum MIMEDecodingError: Error, Hashable, Sendable, CustomStringConvertible {
    /// A multipart has parts, not a body of its own.
    case isMultipart
    /// A Content-Transfer-Encoding this module does not decode (e.g. `x-uuencode`).
    case unsupportedTransferEncoding(String)
    /// The base64 body is damaged.
    case invalidBase64(Base64Body.DecodingError)
    /// A charset `MIMECharset` does not know.
    case unsupportedCharset(String)

    public var description: String {
        switch self {
        case .isMultipart: "a multipart has no body of its own"
        case .unsupportedTransferEncoding(let name): "unsupported Content-Transfer-Encoding \"\(name)\""
        case .invalidBase64(let error): "\(error)"
        case .unsupportedCharset(let name): "unsupported charset \"\(name)\""
        }
    }
}
