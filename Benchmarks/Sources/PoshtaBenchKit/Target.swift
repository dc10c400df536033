/// A server to drive: `HOST:PORT`, or `[IPv6]:PORT`.
struct Target: Equatable, CustomStringConvertible {
    var host: String
    var port: Int

    /// Parses `HOST:PORT` (`127.0.0.1:2525`, `localhost:2600`, `[::1]:2525`).
    init?(_ text: String) {
        guard let colon = text.lastIndex(of: ":") else { return nil }
        var host = String(text[..<colon])
        guard let port = Int(text[text.index(after: colon)...]), (1...65535).contains(port) else { return nil }
        if host.hasPrefix("["), host.hasSuffix("]") {
            host = String(host.dropFirst().dropLast())
        }
        guard !host.isEmpty else { return nil }
        self.host = host
        self.port = port
    }

    var description: String {
        host.contains(":") ? "[\(host)]:\(port)" : "\(host):\(port)"
    }
}
