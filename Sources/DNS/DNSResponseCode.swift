/// The RCODE of a response header.
///
/// - SeeAlso: RFC 1035 §4.1.1; RFC 2308 §2.1 (NXDOMAIN)
public enum DNSResponseCode: Hashable, Sendable, RawRepresentable {
    case noError
    case formatError
    case serverFailure
    /// NXDOMAIN: the name does not exist.
    case nameError
    case notImplemented
    case refused
    case other(UInt8)

    /// Makes a code from the low four bits of `rawValue`.
    public init(rawValue: UInt8) {
        switch rawValue & 0x0F {
        case 0: self = .noError
        case 1: self = .formatError
        case 2: self = .serverFailure
        case 3: self = .nameError
        case 4: self = .notImplemented
        case 5: self = .refused
        default: self = .other(rawValue & 0x0F)
        }
    }

    public var rawValue: UInt8 {
        switch self {
        case .noError: 0
        case .formatError: 1
        case .serverFailure: 2
        case .nameError: 3
        case .notImplemented: 4
        case .refused: 5
        case .other(let code): code & 0x0F
        }
    }
}
