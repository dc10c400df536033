/// Why a resolver configuration was refused.
public enum ResolverConfigurationError: Error, Hashable, Sendable, CustomStringConvertible {
    /// Not an IP address with an optional port, as in `"127.0.0.1:5353"` or `"[::1]:53"`.
    case invalidNameserver(String)

    public var description: String {
        switch self {
        case .invalidNameserver(let text):
            "nameserver \"\(text)\" is not an IP address with an optional port, such as \"127.0.0.1:5353\" or \"[::1]:53\""
        }
    }
}
