public import Foundation
public import Spool

/// The admin API's JSON: snake_case keys, sorted, slashes unescaped — the
/// same bytes from the daemon and from `poshta queue --json` reading the
/// spool directly.
public enum AdminJSON {
    public static func encode(_ value: some Encodable) throws -> Data {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(value)
    }

    public static func decode<Value: Decodable>(_ type: Value.Type, from data: Data) throws -> Value {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(type, from: data)
    }
}

/// The body of every refused request: `{"error": "what was wrong"}`.
public struct AdminErrorBody: Codable, Sendable {
    public var error: String
    public init(error: String) { self.error = error }
}

/// `POST /v1/queue/{hold|release|retry|delete}`: exactly one of `ids`,
/// `filter` (which must narrow the selection) or `all: true`.
public struct QueueActionRequest: Codable, Sendable {
    public var ids: [String]?
    public var filter: QueueFilter?
    public var all: Bool?

    public init(ids: [String]? = nil, filter: QueueFilter? = nil, all: Bool? = nil) {
        self.ids = ids
        self.filter = filter
        self.all = all
    }
}

/// `GET /v1/queue/ids`: the ids a filter selects, oldest first.
public struct QueueIDList: Codable, Sendable {
    public var ids: [String]
    public init(ids: [String]) { self.ids = ids }
}
