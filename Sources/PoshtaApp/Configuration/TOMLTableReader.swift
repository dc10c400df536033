import TOMLKit

/// Reads one table of the configuration, key by key, turning every surprise
/// (unknown key, wrong type, value out of range) into a `ConfigurationError`
/// that names the key and its line.
///
/// A missing section reads as an empty table, so every key takes its default.
struct TOMLTableReader {
    /// nil when the section is not in the file.
    let table: TOMLTable?
    /// The table's own path, e.g. "server" or "listener[2]"; "" for the document.
    let path: String
    let context: ConfigurationContext

    /// The full name of one of this table's keys.
    func keyPath(_ key: String) -> String {
        path.isEmpty ? key : "\(path).\(key)"
    }

    func error(_ key: String, _ message: String) -> ConfigurationError {
        context.error(keyPath(key), message)
    }

    func contains(_ key: String) -> Bool {
        table?[key] != nil
    }

    /// Rejects keys not in `allowed`, naming the first one in the file and listing the valid ones.
    func checkKeys(_ allowed: [String], in what: String) throws(ConfigurationError) {
        guard let table else { return }
        let unknown = table.keys.filter { !allowed.contains($0) }
        guard !unknown.isEmpty else { return }
        let first = unknown.min { a, b in
            (context.locator.exactLine(for: keyPath(a)) ?? Int.max) < (context.locator.exactLine(for: keyPath(b)) ?? Int.max)
        }!
        throw error(first, "unknown key \"\(first)\" in \(what); valid keys: \(allowed.joined(separator: ", "))")
    }

    private func value(_ key: String) -> (any TOMLValueConvertible)? {
        table?[key]
    }

    private func typeMismatch(_ key: String, expected: String, found value: any TOMLValueConvertible) -> ConfigurationError {
        error(key, "expected \(expected), found \(Self.describe(value.type))")
    }

    static func describe(_ type: TOMLType) -> String {
        switch type {
        case .table: "a table"
        case .array: "an array"
        case .string: "a string"
        case .int: "an integer"
        case .double: "a floating-point number"
        case .bool: "a boolean"
        case .date: "a date"
        case .time: "a time"
        case .dateTime: "a date-time"
        }
    }

    // MARK: - Scalars

    func string(_ key: String) throws(ConfigurationError) -> String? {
        guard let value = value(key) else { return nil }
        guard let string = value.string else { throw typeMismatch(key, expected: "a string", found: value) }
        return string
    }

    func bool(_ key: String, default defaultValue: Bool) throws(ConfigurationError) -> Bool {
        guard let value = value(key) else { return defaultValue }
        guard let flag = value.bool else { throw typeMismatch(key, expected: "true or false", found: value) }
        return flag
    }

    func string(_ key: String, default defaultValue: String) throws(ConfigurationError) -> String {
        try string(key) ?? defaultValue
    }

    /// A string that must not be empty.
    func nonEmptyString(_ key: String, default defaultValue: String) throws(ConfigurationError) -> String {
        let text = try string(key, default: defaultValue)
        guard !text.isEmpty else { throw error(key, "must not be empty") }
        return text
    }

    /// A path, resolved against the configuration file's folder; must not be empty.
    func path(_ key: String, default defaultValue: String) throws(ConfigurationError) -> String {
        context.resolve(try nonEmptyString(key, default: defaultValue))
    }

    /// An optional path: missing or "" is nil, anything else is resolved.
    func optionalPath(_ key: String) throws(ConfigurationError) -> String? {
        guard let text = try string(key), !text.isEmpty else { return nil }
        return context.resolve(text)
    }

    func int(_ key: String) throws(ConfigurationError) -> Int? {
        guard let value = value(key) else { return nil }
        guard let int = value.int else { throw typeMismatch(key, expected: "an integer", found: value) }
        return int
    }

    /// An integer within `range`, or `defaultValue` when the key is absent.
    func int(_ key: String, default defaultValue: Int, in range: ClosedRange<Int>) throws(ConfigurationError) -> Int {
        guard let int = try int(key) else { return defaultValue }
        guard range.contains(int) else {
            if range.upperBound == Int.max {
                throw error(key, "\(int) is too small; expected an integer ≥ \(range.lowerBound)")
            }
            throw error(key, "\(int) is out of range; expected \(range.lowerBound)...\(range.upperBound)")
        }
        return int
    }

    /// A number, integer or not (`10` and `10.5` both read).
    func number(_ key: String) throws(ConfigurationError) -> Double? {
        guard let value = value(key) else { return nil }
        if let int = value.int { return Double(int) }
        guard let double = value.double else { throw typeMismatch(key, expected: "a number", found: value) }
        return double
    }

    /// The table's own keys, in file order where known.
    var keys: [String] {
        guard let table else { return [] }
        return table.keys.sorted { (context.locator.exactLine(for: keyPath($0)) ?? .max, $0) < (context.locator.exactLine(for: keyPath($1)) ?? .max, $1) }
    }

    /// An integer greater than zero.
    func positiveInt(_ key: String, default defaultValue: Int) throws(ConfigurationError) -> Int {
        guard let int = try int(key) else { return defaultValue }
        guard int > 0 else { throw error(key, "\(int) is not valid; expected an integer greater than 0") }
        return int
    }

    /// One of an enumeration's raw values.
    func choice<Choice: RawRepresentable & CaseIterable>(
        _ key: String, default defaultValue: Choice
    ) throws(ConfigurationError) -> Choice where Choice.RawValue == String {
        guard let text = try string(key) else { return defaultValue }
        guard let choice = Choice(rawValue: text) else {
            let valid = Choice.allCases.map(\.rawValue).joined(separator: ", ")
            throw error(key, "\"\(text)\" is not valid; expected one of \(valid)")
        }
        return choice
    }

    // MARK: - Arrays and tables

    /// An array of strings; elements are named `key[n]` in errors.
    func stringArray(_ key: String) throws(ConfigurationError) -> [(path: String, value: String)]? {
        guard let value = value(key) else { return nil }
        guard let array = value.array else { throw typeMismatch(key, expected: "an array of strings", found: value) }
        var strings: [(path: String, value: String)] = []
        for (offset, element) in array.enumerated() {
            let elementPath = "\(keyPath(key))[\(offset + 1)]"
            guard let string = element.string else {
                throw context.error(elementPath, "expected a string, found \(Self.describe(element.type))")
            }
            strings.append((elementPath, string))
        }
        return strings
    }

    /// A sub-table; a reader of nothing when absent.
    func table(_ key: String) throws(ConfigurationError) -> TOMLTableReader {
        guard let value = value(key) else { return TOMLTableReader(table: nil, path: keyPath(key), context: context) }
        guard let table = value.table else {
            throw typeMismatch(key, expected: "a table ([\(keyPath(key))])", found: value)
        }
        return TOMLTableReader(table: table, path: keyPath(key), context: context)
    }

    /// An array of tables, written as `[[key]]` headers or as `key = [ { ... }, ... ]`.
    func tableArray(_ key: String, expected: String) throws(ConfigurationError) -> [TOMLTableReader]? {
        guard let value = value(key) else { return nil }
        guard let array = value.array else { throw typeMismatch(key, expected: expected, found: value) }
        var readers: [TOMLTableReader] = []
        for (offset, element) in array.enumerated() {
            let elementPath = "\(keyPath(key))[\(offset + 1)]"
            guard let table = element.table else {
                throw context.error(elementPath, "expected a table, found \(Self.describe(element.type))")
            }
            readers.append(TOMLTableReader(table: table, path: elementPath, context: context))
        }
        return readers
    }
}
