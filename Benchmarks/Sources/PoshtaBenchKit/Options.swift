/// A command-line mistake, reported with the usage text.
struct UsageError: Error, CustomStringConvertible {
    var description: String
}

/// Splits `--name value` pairs and bare `--flag`s; knows nothing of their meaning.
struct ArgumentScanner {
    private var values: [String: String] = [:]
    private var flags: Set<String> = []

    /// - Parameters:
    ///   - arguments: the words after the mode.
    ///   - valued: options that take a value; any other `--word` is a flag.
    init(_ arguments: [String], valued: Set<String>, flags allowedFlags: Set<String>) throws {
        var index = 0
        while index < arguments.count {
            var word = arguments[index]
            guard word.hasPrefix("--") else { throw UsageError(description: "unexpected argument '\(word)'") }
            var inlineValue: String?
            if let equals = word.firstIndex(of: "=") {
                inlineValue = String(word[word.index(after: equals)...])
                word = String(word[..<equals])
            }
            let name = String(word.dropFirst(2))
            if valued.contains(name) {
                if let inlineValue {
                    values[name] = inlineValue
                } else {
                    guard index + 1 < arguments.count else { throw UsageError(description: "--\(name) needs a value") }
                    index += 1
                    values[name] = arguments[index]
                }
            } else if allowedFlags.contains(name), inlineValue == nil {
                flags.insert(name)
            } else {
                throw UsageError(description: "unknown option --\(name)")
            }
            index += 1
        }
    }

    func flag(_ name: String) -> Bool { flags.contains(name) }

    func string(_ name: String) -> String? { values[name] }

    func int(_ name: String, default fallback: Int? = nil, range: ClosedRange<Int>) throws -> Int {
        guard let text = values[name] else {
            if let fallback { return fallback }
            throw UsageError(description: "--\(name) is required")
        }
        guard let value = Int(text), range.contains(value) else {
            throw UsageError(description: "--\(name) must be a whole number in \(range.lowerBound)...\(range.upperBound)")
        }
        return value
    }

    func optionalInt(_ name: String, range: ClosedRange<Int>) throws -> Int? {
        values[name] == nil ? nil : try int(name, range: range)
    }

    func double(_ name: String, default fallback: Double?, range: ClosedRange<Double>) throws -> Double? {
        guard let text = values[name] else { return fallback }
        guard let value = Double(text), range.contains(value) else {
            throw UsageError(description: "--\(name) must be a number in \(range.lowerBound)...\(range.upperBound)")
        }
        return value
    }

    func target(_ name: String = "target") throws -> Target {
        guard let text = values[name] else { throw UsageError(description: "--\(name) HOST:PORT is required") }
        guard let target = Target(text) else { throw UsageError(description: "--\(name) must be HOST:PORT, not '\(text)'") }
        return target
    }
}

/// Settings of one `intake` run.
struct IntakeOptions {
    var target: Target
    var messages: Int
    var sessions: Int
    var size: Int
    var pid: Int32?
    var reuse: Bool
    var timeLimit: Double
    var json: Bool
    var pipelining: Bool
    var rate: Double?
    var threads: Int
    var replyTimeout: Double
    /// STARTTLS after EHLO, a TLS handshake, EHLO again; then the transaction.
    var starttls: Bool
    /// AUTH PLAIN after TLS (`--auth USER:PASSWORD-FILE`).
    var auth: Credentials?
    /// A message file sent instead of the generated text (`--message FILE`):
    /// a shop's template message, say; only its Message-ID differs between messages.
    var message: [UInt8]?
    var from = "a@shop.example"
    var to = "b@example.net"
    var helo = "bench-client.poshta.test"

    static let usage = """
        poshta-bench intake --target HOST:PORT --messages N --sessions C --size BYTES
                            [--pid PID] [--reuse] [--time-limit SECONDS] [--json]
                            [--rate MSGS_PER_S] [--no-pipelining] [--threads T] [--reply-timeout SECONDS]
                            [--starttls [--auth USER:PASSWORD-FILE]] [--message FILE] [--to ADDRESS]
        """

    init(arguments: [String]) throws {
        let scan = try ArgumentScanner(
            arguments,
            valued: [
                "target", "messages", "sessions", "size", "pid", "time-limit", "rate", "threads", "reply-timeout", "auth",
                "message", "to",
            ],
            flags: ["reuse", "json", "no-pipelining", "starttls"]
        )
        target = try scan.target()
        messages = try scan.int("messages", range: 1...10_000_000)
        sessions = try scan.int("sessions", default: 1, range: 1...10_000)
        size = try scan.int("size", default: 1024, range: 1...100_000_000)
        pid = try scan.optionalInt("pid", range: 1...Int(Int32.max)).map { Int32($0) }
        reuse = scan.flag("reuse")
        timeLimit = try scan.double("time-limit", default: 120, range: 0.1...86_400) ?? 120
        json = scan.flag("json")
        pipelining = !scan.flag("no-pipelining")
        rate = try scan.double("rate", default: nil, range: 0.001...10_000_000)
        threads = try scan.int("threads", default: 1, range: 1...64)
        replyTimeout = try scan.double("reply-timeout", default: 30, range: 0.1...3600) ?? 30
        starttls = scan.flag("starttls")
        if let spec = scan.string("auth") {
            guard starttls else { throw UsageError(description: "--auth needs --starttls (AUTH is sent over TLS only)") }
            auth = try Credentials(spec: spec)
        }
        if let path = scan.string("message") {
            guard let bytes = readFile(path) else { throw UsageError(description: "--message: cannot read \(path)") }
            message = bytes
            guard message?.isEmpty == false else { throw UsageError(description: "--message: \(path) is empty") }
        }
        if let address = scan.string("to") { to = address }
    }
}

/// A user name and password for AUTH PLAIN; the password is read from a file so that it
/// never appears on a command line.
struct Credentials: Equatable {
    var user: String
    var password: String

    init(user: String, password: String) {
        self.user = user
        self.password = password
    }

    /// `USER:PASSWORD-FILE`: the password is the file's first line (without its line end).
    init(spec: String) throws {
        guard let colon = spec.lastIndex(of: ":"), colon != spec.startIndex,
              spec.index(after: colon) != spec.endIndex
        else {
            throw UsageError(description: "--auth must be USER:PASSWORD-FILE")
        }
        let path = String(spec[spec.index(after: colon)...])
        guard let contents = readSmallFile(path) else {
            throw UsageError(description: "--auth: cannot read the password file \(path)")
        }
        // By bytes: as Characters, "\r\n" is one and would not split at "\n".
        var line = Array(contents.utf8.prefix { $0 != UInt8(ascii: "\n") })
        if line.last == UInt8(ascii: "\r") { line.removeLast() }
        let password = String(decoding: line, as: UTF8.self)
        guard !password.isEmpty else { throw UsageError(description: "--auth: the password file \(path) is empty") }
        self.init(user: String(spec[..<colon]), password: password)
    }

    /// The SASL PLAIN initial response (RFC 4616): base64 of NUL user NUL password.
    var plainResponse: String {
        base64(Array([0] + Array(user.utf8) + [0] + Array(password.utf8)))
    }
}

/// Settings of one `idle` run.
struct IdleOptions {
    var target: Target
    var connections: Int
    var pid: Int32?
    var hold: Double
    var timeLimit: Double
    var json: Bool
    var parallel: Int
    var helo = "bench-client.poshta.test"

    static let usage = """
        poshta-bench idle --target HOST:PORT --connections N --pid PID
                          [--hold SECONDS] [--time-limit SECONDS] [--parallel K] [--json]
        """

    init(arguments: [String]) throws {
        let scan = try ArgumentScanner(
            arguments,
            valued: ["target", "connections", "pid", "hold", "time-limit", "parallel"],
            flags: ["json"]
        )
        target = try scan.target()
        connections = try scan.int("connections", default: 1000, range: 1...1_000_000)
        pid = try scan.optionalInt("pid", range: 1...Int(Int32.max)).map { Int32($0) }
        hold = try scan.double("hold", default: 5, range: 0...3600) ?? 5
        timeLimit = try scan.double("time-limit", default: 120, range: 1...86_400) ?? 120
        json = scan.flag("json")
        parallel = try scan.int("parallel", default: 64, range: 1...10_000)
    }
}
