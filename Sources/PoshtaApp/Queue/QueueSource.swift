import AdminAPI
import Foundation
import NIOHTTP1
import Spool

/// Where `poshta queue` gets its answers: the daemon's admin API, or — for
/// the read-only verbs when the daemon is down — the spool itself, read-only.
enum QueueSource {
    case api(AdminClient)
    case spool(QueueInspector, directory: String)

    /// The admin API named by `--admin URL`, else by `[admin] address`,
    /// with the token from `[admin] token_file`.
    static func client(_ configuration: PoshtaConfiguration, admin: String?) throws(AdminClientError) -> AdminClient {
        let address = admin ?? configuration.admin.address
        var text = address
        if text.hasPrefix("http://") { text.removeFirst("http://".count) }
        while text.hasSuffix("/") { text.removeLast() }
        guard let parsed = ConfigurationSyntax.hostAndPort(text, ports: 1...65535) else {
            let origin = admin == nil ? "[admin] address" : "--admin"
            throw .failed("\(origin): \"\(address)\" is not an address like http://127.0.0.1:8025 (port 0 means the daemon picks one: give --admin)")
        }
        let token: AdminToken
        do {
            token = try AdminToken.read(path: configuration.admin.tokenFile)
        } catch {
            throw .failed("\(error)")
        }
        return AdminClient(host: parsed.host, port: parsed.port, token: token.value)
    }

    /// The API if the daemon answers; otherwise the spool, after saying so on standard error.
    static func readOnly(_ configuration: PoshtaConfiguration, admin: String?) async throws -> QueueSource {
        do {
            let client = try client(configuration, admin: admin)
            // A cheap request that proves the daemon is there and takes the token.
            _ = try await client.json(QueueIDList.self, .GET, AdminClient.path("/v1/queue/ids", query: [("id", "-")]))
            return .api(client)
        } catch {
            Commands.printError("poshta queue: \(error)")
            Commands.printError("poshta queue: reading the spool \(configuration.server.spool) directly (read-only)")
            return .spool(try QueueInspector(spoolDirectory: configuration.server.spool), directory: configuration.server.spool)
        }
    }

    /// What the screen of `watch` names as its source.
    var name: String {
        switch self {
        case .api(let client): client.url
        case .spool(_, let directory): "spool \(directory) (daemon down)"
        }
    }

    func list(_ filter: QueueFilter, limit: Int?) async throws -> QueueListing {
        switch self {
        case .api(let client):
            // Page by page (the API caps a page), until the limit or the end.
            var listing = QueueListing(messages: [], total: 0)
            var cursor: QueueCursor?
            repeat {
                var query = filter.query + (cursor?.query ?? [])
                let wanted = limit.map { $0 - listing.messages.count }
                query.append(("limit", String(wanted ?? 0)))
                let page = try await client.json(QueueListing.self, .GET, AdminClient.path("/v1/queue", query: query))
                if cursor == nil { listing.total = page.total }
                listing.messages += page.messages
                cursor = page.next
            } while cursor != nil && (limit.map { listing.messages.count < $0 } ?? true)
            return listing
        case .spool(let inspector, _):
            return try await inspector.list(filter, limit: limit, now: Date.now.timeIntervalSince1970)
        }
    }

    func message(_ id: String) async throws -> QueueMessage? {
        switch self {
        case .api(let client):
            let reply = try await client.send(.GET, "/v1/queue/\(Self.escape(id))")
            if reply.status == 404 { return nil }
            try AdminClient.check(reply, url: client.url)
            return try AdminJSON.decode(QueueMessage.self, from: Data(reply.body))
        case .spool(let inspector, _):
            return try await inspector.message(id)
        }
    }

    func messageBytes(_ id: String) async throws -> [UInt8]? {
        switch self {
        case .api(let client):
            let reply = try await client.send(.GET, "/v1/queue/\(Self.escape(id))/body")
            if reply.status == 404 { return nil }
            try AdminClient.check(reply, url: client.url)
            return reply.body
        case .spool(let inspector, _):
            return try await inspector.messageBytes(id)
        }
    }

    func stats() async throws -> QueueStats {
        switch self {
        case .api(let client):
            return try await client.json(QueueStats.self, .GET, "/v1/stats")
        case .spool(let inspector, _):
            return try await inspector.stats(now: Date.now.timeIntervalSince1970)
        }
    }

    /// Queue ids are letters and digits; anything else is escaped rather than trusted in a path.
    private static func escape(_ id: String) -> String {
        id.addingPercentEncoding(withAllowedCharacters: .alphanumerics) ?? id
    }
}
