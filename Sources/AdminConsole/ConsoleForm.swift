import MIME

/// A submitted HTML form (`application/x-www-form-urlencoded`): each name
/// with its values in order, so that a group of checkboxes reads as a list.
struct ConsoleForm: Sendable {
    private(set) var values: [String: [String]] = [:]

    init(_ body: String) {
        for pair in body.split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            // A field that does not decode is left out rather than read as something else.
            guard let name = Self.decode(parts[0]), let value = parts.count > 1 ? Self.decode(parts[1]) : "" else { continue }
            values[name, default: []].append(value)
        }
    }

    /// The first value of `name`, or nil.
    subscript(_ name: String) -> String? { values[name]?.first }

    /// Every value of `name` (the checked boxes of a group).
    func all(_ name: String) -> [String] { values[name] ?? [] }

    /// A checkbox: present means checked.
    func isChecked(_ name: String) -> Bool { values[name] != nil }

    /// `+` is a space and `%XX` a byte (HTML's form encoding); nil when the bytes are not UTF-8.
    static func decode(_ text: Substring) -> String? {
        var bytes: [UInt8] = []
        bytes.reserveCapacity(text.utf8.count)
        var iterator = text.utf8.makeIterator()
        while let byte = iterator.next() {
            switch byte {
            case UInt8(ascii: "+"):
                bytes.append(0x20)
            case UInt8(ascii: "%"):
                guard let high = iterator.next().flatMap(QuotedPrintable.hexValue), let low = iterator.next().flatMap(QuotedPrintable.hexValue) else {
                    return nil
                }
                bytes.append(high << 4 | low)
            default:
                bytes.append(byte)
            }
        }
        return String(validating: bytes, as: UTF8.self)
    }
}
