import Foundation
import HTTPListener
import Hummingbird
import Spool

/// The queue endpoints under `/v1`: list, ids, one message, its bytes,
/// the four actions, stats.
struct QueueRoutes {
    let spool: Spool

    /// The largest action request accepted (a list of ids: 10,000 ids fit easily).
    static let maximumBody = 1 << 20

    func register(on router: Router<PoshtaRequestContext>) {
        router.get("/v1/queue") { request, _ in
            do {
                let (filter, query) = try Self.filter(request)
                let page = try Self.page(query)
                let listing = try await spool.inspector.list(filter, limit: page.limit, after: page.after, now: Self.now)
                return try AdminResponse.json(listing)
            } catch let error as QueueFilterError {
                return AdminResponse.error(.badRequest, "\(error)")
            }
        }
        router.get("/v1/queue/ids") { request, _ in
            do {
                let (filter, _) = try Self.filter(request)
                return try AdminResponse.json(QueueIDList(ids: try await spool.inspector.ids(filter, now: Self.now)))
            } catch let error as QueueFilterError {
                return AdminResponse.error(.badRequest, "\(error)")
            }
        }
        router.get("/v1/queue/{id}") { _, context in
            let id = context.parameters.get("id") ?? ""
            guard let message = try await spool.inspector.message(id) else { return Self.unknown(id) }
            return try AdminResponse.json(message)
        }
        router.get("/v1/queue/{id}/body") { _, context in
            let id = context.parameters.get("id") ?? ""
            guard let bytes = try await spool.inspector.messageBytes(id) else { return Self.unknown(id) }
            return AdminResponse.bytes(bytes, contentType: "message/rfc822")
        }
        for action in QueueAction.allCases {
            router.post("/v1/queue/\(action.rawValue)") { request, _ in
                var request = request
                let filter: QueueFilter
                do {
                    let body = try await request.collectBody(upTo: Self.maximumBody)
                    filter = try Self.selection(AdminJSON.decode(QueueActionRequest.self, from: Data(buffer: body)))
                } catch let error as QueueFilterError {
                    return AdminResponse.error(.badRequest, error.description)
                } catch let error as DecodingError {
                    return AdminResponse.error(.badRequest, "the body is not the JSON this action takes: \(Self.describe(error))")
                } catch {
                    return AdminResponse.error(.badRequest, "cannot read the body: \(error)")
                }
                return try AdminResponse.json(try await spool.apply(action, to: filter, now: Self.now))
            }
        }
        router.get("/v1/stats") { _, _ in
            try AdminResponse.json(try await spool.inspector.stats(now: Self.now))
        }
    }

    static var now: Double { Date.now.timeIntervalSince1970 }

    /// The filter of a `GET /v1/queue` query, and the query itself.
    static func filter(_ request: Request) throws(QueueFilterError) -> (QueueFilter, [String: String]) {
        var query: [String: String] = [:]
        for (name, value) in request.uri.queryParameters { query[String(name)] = String(value) }
        return (try QueueFilter(query: query), query)
    }

    /// Messages per page when the request does not say, and at the most: a
    /// listing is built in memory, and one of the whole queue would swell
    /// the daemon by hundreds of megabytes. Clients follow `next`.
    static let defaultPage = 1000
    static let maximumPage = 5000

    /// `limit` (0 or above the maximum: the maximum) and the cursor `after_arrival`/`after_id`.
    static func page(_ query: [String: String]) throws(QueueFilterError) -> (limit: Int, after: QueueCursor?) {
        var limit = defaultPage
        if let text = query["limit"] {
            guard let value = Int(text), value >= 0 else {
                throw QueueFilterError("limit: \"\(text)\" is not a number of messages")
            }
            limit = value == 0 ? maximumPage : min(value, maximumPage)
        }
        return (limit, try QueueCursor(query: query))
    }

    /// What an action applies to; refuses a request that names nothing, or
    /// an empty filter without `all`, so that no slip empties the queue.
    static func selection(_ request: QueueActionRequest) throws(QueueFilterError) -> QueueFilter {
        switch (request.ids, request.filter, request.all ?? false) {
        case (let ids?, nil, false):
            guard !ids.isEmpty else { throw QueueFilterError("ids is empty: name at least one queue id") }
            return QueueFilter(ids: ids)
        case (nil, let filter?, false):
            guard !filter.selectsEverything else {
                throw QueueFilterError("the filter selects every message; send {\"all\": true} to mean that")
            }
            return filter
        case (nil, nil, true):
            return QueueFilter()
        default:
            throw QueueFilterError("give exactly one of ids, filter or \"all\": true")
        }
    }

    static func unknown(_ id: String) -> Response {
        AdminResponse.error(.notFound, "no message \(id) on the queue")
    }

    static func describe(_ error: DecodingError) -> String {
        switch error {
        case .typeMismatch(_, let context), .valueNotFound(_, let context), .keyNotFound(_, let context),
            .dataCorrupted(let context):
            let path = context.codingPath.map(\.stringValue).joined(separator: ".")
            return path.isEmpty ? context.debugDescription : "\(path): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }
}
