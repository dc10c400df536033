/// Turns the bytes of a MIME body or encoded-word into text, by charset name.
///
/// Supported: UTF-8; US-ASCII (read as UTF-8, its superset, so that
/// mislabelled 8-bit UTF-8 still reads right); ISO-8859-1 (strictly: bytes
/// 0x80–0x9F are the C1 controls, as the RFC says, not Windows-1252's
/// letters); Windows-1252; and the legacy Cyrillic charsets a Bulgarian or
/// Macedonian mailbox still receives: Windows-1251, KOI8-R, ISO-8859-5.
/// Names are compared case-insensitively, with the common aliases. Malformed
/// UTF-8 becomes U+FFFD rather than failing: a reader wants the rest of the text.
///
/// - SeeAlso: RFC 2046 §4.1.2, RFC 2978 (charset names), the IANA charset registry
public enum MIMECharset {
    /// Decodes `bytes` written in `charset`; nil when the charset is not supported.
    public static func decode(_ bytes: some Collection<UInt8>, charset: String) -> String? {
        guard let kind = Kind(charset) else { return nil }
        switch kind {
        case .utf8:
            return String(decoding: bytes, as: UTF8.self)
        case .latin1:
            var scalars = String.UnicodeScalarView()
            for byte in bytes { scalars.append(Unicode.Scalar(byte)) }
            return String(scalars)
        case .table(let upperHalf):
            var scalars = String.UnicodeScalarView()
            for byte in bytes {
                if byte < 0x80 {
                    scalars.append(Unicode.Scalar(byte))
                } else {
                    scalars.append(Unicode.Scalar(UInt32(upperHalf[Int(byte) - 0x80])) ?? "\u{FFFD}")
                }
            }
            return String(scalars)
        }
    }

    /// Whether `decode` knows `charset`.
    public static func isSupported(_ charset: String) -> Bool { Kind(charset) != nil }

    private enum Kind: Equatable {
        case utf8
        case latin1
        /// A single-byte charset that is ASCII below 0x80: the code points of 0x80...0xFF.
        case table([UInt16])

        init?(_ name: String) {
            switch name.lowercased() {
            case "utf-8", "utf8", "us-ascii", "ascii", "ansi_x3.4-1968", "iso646-us":
                self = .utf8
            case "iso-8859-1", "iso8859-1", "iso_8859-1", "latin1", "latin-1", "l1", "cp819":
                self = .latin1
            case "windows-1252", "cp1252", "x-cp1252":
                self = .table(MIMECharset.windows1252)
            case "windows-1251", "cp1251", "x-cp1251":
                self = .table(MIMECharset.windows1251)
            case "koi8-r", "koi8r", "cskoi8r":
                self = .table(MIMECharset.koi8R)
            case "iso-8859-5", "iso8859-5", "iso_8859-5", "cyrillic":
                self = .table(MIMECharset.iso8859_5)
            default:
                return nil
            }
        }
    }
}
