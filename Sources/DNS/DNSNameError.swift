/// Why text could not be made into a ``DNSName``.
///
/// - SeeAlso: RFC 1035 §2.3.4 (size limits)
public enum DNSNameError: Error, Hashable, Sendable {
    /// Two dots in a row, or a leading dot in anything but the root ".".
    case emptyLabel
    /// A label of more than 63 octets.
    case labelTooLong(String)
    /// A name of more than 255 octets in wire form.
    case nameTooLong
}
