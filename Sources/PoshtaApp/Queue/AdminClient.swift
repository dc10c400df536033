import AdminAPI
import Foundation
import NIOCore
import NIOHTTP1
import NIOPosix

/// The CLI's side of the admin API: one HTTP/1.1 request per connection on
/// loopback, the bearer token in every request.
struct AdminClient: Sendable {
    let host: String
    let port: Int
    let token: String
    /// A listing of a very large queue takes a while; nothing legitimate takes this long.
    var timeout: TimeAmount = .seconds(120)

    /// `http://127.0.0.1:8025`, as users write it in `--admin` and read it in messages.
    var url: String { "http://\(host.contains(":") ? "[\(host)]" : host):\(port)" }

    struct Reply: Sendable {
        var status: Int
        var body: [UInt8]
    }

    /// Sends the request; throws `.notRunning` when nothing listens there.
    func send(_ method: HTTPMethod, _ path: String, json body: [UInt8]? = nil) async throws(AdminClientError) -> Reply {
        let channel: NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>
        do {
            channel = try await ClientBootstrap(group: MultiThreadedEventLoopGroup.singleton)
                .connectTimeout(.seconds(5))
                .connect(host: host, port: port) { channel in
                    channel.eventLoop.makeCompletedFuture {
                        try channel.pipeline.syncOperations.addHTTPClientHandlers()
                        return try NIOAsyncChannel<HTTPClientResponsePart, HTTPClientRequestPart>(
                            wrappingChannelSynchronously: channel)
                    }
                }
        } catch {
            if Self.refused(error) { throw .notRunning(url) }
            if case .connectTimeout = error as? ChannelError { throw .notRunning(url) }
            throw .failed("cannot connect to the admin API at \(url): \(error)")
        }
        let deadline = channel.channel.eventLoop.scheduleTask(in: timeout) { channel.channel.close(promise: nil) }
        defer { deadline.cancel() }
        do {
            return try await channel.executeThenClose { inbound, outbound in
                var head = HTTPRequestHead(version: .http1_1, method: method, uri: path)
                head.headers.add(name: "Host", value: "\(host):\(port)")
                head.headers.add(name: "Authorization", value: "Bearer \(token)")
                head.headers.add(name: "Connection", value: "close")
                head.headers.add(name: "Content-Length", value: String(body?.count ?? 0))
                if body != nil { head.headers.add(name: "Content-Type", value: "application/json") }
                try await outbound.write(.head(head))
                if let body { try await outbound.write(.body(.byteBuffer(ByteBuffer(bytes: body)))) }
                try await outbound.write(.end(nil))
                var reply = Reply(status: 0, body: [])
                for try await part in inbound {
                    switch part {
                    case .head(let response): reply.status = Int(response.status.code)
                    case .body(var buffer): reply.body += buffer.readBytes(length: buffer.readableBytes) ?? []
                    case .end: return reply
                    }
                }
                throw AdminClientError.failed("the admin API at \(url) closed the connection before answering")
            }
        } catch let error as AdminClientError {
            throw error
        } catch {
            throw .failed("the admin API at \(url) did not answer: \(error)")
        }
    }

    /// Connection refused: nothing listens there.
    private static func refused(_ error: any Error) -> Bool {
        if let error = error as? IOError { return error.errnoCode == ECONNREFUSED }
        if let error = error as? NIOConnectionError {
            return !error.connectionErrors.isEmpty && error.connectionErrors.allSatisfy { refused($0.error) }
        }
        return false
    }

    /// Sends and decodes a 200 answer; any other status becomes the API's own sentence.
    func json<Value: Decodable>(
        _ type: Value.Type, _ method: HTTPMethod, _ path: String, body: [UInt8]? = nil
    ) async throws(AdminClientError) -> Value {
        let reply = try await send(method, path, json: body)
        try Self.check(reply, url: url)
        do {
            return try AdminJSON.decode(type, from: Data(reply.body))
        } catch {
            throw .failed("the admin API at \(url) answered with JSON this poshta cannot read: \(error)")
        }
    }

    /// Throws the API's error sentence for anything but 200.
    static func check(_ reply: Reply, url: String) throws(AdminClientError) {
        guard reply.status != 200 else { return }
        let sentence = (try? AdminJSON.decode(AdminErrorBody.self, from: Data(reply.body)))?.error
        if reply.status == 401 {
            throw .failed("the admin API at \(url) refused the token: \(sentence ?? "401 Unauthorized")")
        }
        throw .failed("the admin API at \(url) answered \(reply.status): \(sentence ?? String(decoding: reply.body.prefix(200), as: UTF8.self))")
    }

    /// `path?name=value&…`, every value percent-encoded.
    static func path(_ path: String, query: [(name: String, value: String)]) -> String {
        guard !query.isEmpty else { return path }
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~")
        let items = query.map { item in
            "\(item.name)=\(item.value.addingPercentEncoding(withAllowedCharacters: allowed) ?? item.value)"
        }
        return path + "?" + items.joined(separator: "&")
    }
}

/// Why the CLI could not use the admin API.
enum AdminClientError: Error, CustomStringConvertible {
    /// Nothing listens at the address: the daemon is down (or elsewhere).
    case notRunning(String)
    case failed(String)

    var description: String {
        switch self {
        case .notRunning(let url): "nothing answers at \(url): is `poshta serve` running? ([admin] address, or --admin URL)"
        case .failed(let text): text
        }
    }
}
