import AdminAPI
import Foundation
public import Spool

/// The logic behind `poshta queue …`. Every verb talks to the daemon's
/// admin API; `list`, `show`, `stats` and `watch` read the spool directly
/// (read-only) when the daemon does not answer, and say so; the changing
/// verbs refuse then, since only the daemon may change its queue.
public enum QueueCommands {
    /// `--config`, `--admin` and `--json`: what every verb is pointed at and prints.
    public struct Options: Sendable {
        public var configurationPath: String
        /// `--admin URL`, overriding `[admin] address`.
        public var admin: String?
        public var json: Bool

        public init(configurationPath: String, admin: String?, json: Bool) {
            self.configurationPath = configurationPath
            self.admin = admin
            self.json = json
        }
    }

    /// `poshta queue list`: mailq's table, or the listing as JSON.
    public static func list(_ options: Options, filter: QueueFilter, limit: Int?) async -> Int32 {
        await withReadOnlySource(options) { source in
            let listing = try await source.list(filter, limit: limit)
            let now = Date.now.timeIntervalSince1970
            write(options.json ? try json(listing) : QueueText.table(listing, now: now) + "\n")
            return 0
        }
    }

    /// `poshta queue show ID`: one message in full, or its raw bytes (postcat).
    public static func show(_ options: Options, id: String, body: Bool) async -> Int32 {
        await withReadOnlySource(options) { source in
            if body {
                guard let bytes = try await source.messageBytes(id) else { return unknown(id) }
                FileHandle.standardOutput.write(Data(bytes))
                return 0
            }
            guard let message = try await source.message(id) else { return unknown(id) }
            write(options.json ? try json(message) : QueueText.message(message) + "\n")
            return 0
        }
    }

    /// `poshta queue stats`.
    public static func stats(_ options: Options) async -> Int32 {
        await withReadOnlySource(options) { source in
            let stats = try await source.stats()
            write(options.json ? try json(stats) : QueueText.stats(stats) + "\n")
            return 0
        }
    }

    /// What a changing verb applies to: queue ids, a filter, or `--all`.
    public enum Selection: Sendable {
        case ids([String])
        case filter(QueueFilter)
        case all
    }

    /// `poshta queue hold|release|retry|delete`: through the admin API only,
    /// in chunks with a progress bar on a terminal.
    public static func apply(_ action: QueueAction, to selection: Selection, _ options: Options) async -> Int32 {
        guard let configuration = Commands.loadConfiguration(options.configurationPath) else { return Commands.exConfig }
        do {
            let client = try QueueSource.client(configuration, admin: options.admin)
            let bulk = BulkAction(client: client, action: action)
            let result = try await bulk.run(selection)
            write(options.json ? try json(result) : BulkAction.summary(result) + "\n")
            return 0
        } catch AdminClientError.notRunning(let url) {
            Commands.printError(
                "poshta queue \(action.rawValue): nothing answers at \(url); only the running daemon changes its queue — start `poshta serve` (or give --admin URL) and try again"
            )
            return 1
        } catch {
            Commands.printError("poshta queue \(action.rawValue): \(error)")
            return 1
        }
    }

    /// `poshta queue watch`: a live screen until q or Ctrl-C.
    public static func watch(_ options: Options, interval: Double) async -> Int32 {
        await withReadOnlySource(options) { source in
            try await QueueWatch(source: source, interval: interval).run()
        }
    }

    /// Reads "30m", "2h", "3d" or seconds, for `--older-than`.
    public static func seconds(_ text: String) -> Double? { QueueText.seconds(text) }

    private static func withReadOnlySource(_ options: Options, _ body: (QueueSource) async throws -> Int32) async -> Int32 {
        guard let configuration = Commands.loadConfiguration(options.configurationPath) else { return Commands.exConfig }
        do {
            return try await body(try await QueueSource.readOnly(configuration, admin: options.admin))
        } catch {
            Commands.printError("poshta queue: \(error)")
            return 1
        }
    }

    private static func unknown(_ id: String) -> Int32 {
        Commands.printError("poshta queue: no message \(id) on the queue")
        return 1
    }

    static func json(_ value: some Encodable) throws -> String {
        String(decoding: try AdminJSON.encode(value), as: UTF8.self) + "\n"
    }

    static func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}
