import Foundation
public import Spool

/// The logic behind `poshta queue list|show|stats`. For now they read the
/// spool directly (read-only, safe beside a running daemon); the admin
/// API, through which changing commands will go, comes next.
public enum QueueCommands {
    /// What the command line asks to see.
    public struct Output: Sendable {
        public var json: Bool
        public init(json: Bool) { self.json = json }
    }

    /// `poshta queue list`: mailq's table, or the listing as JSON.
    public static func list(configurationPath: String, filter: QueueFilter, limit: Int?, output: Output) async -> Int32 {
        await withInspector(configurationPath) { inspector in
            let now = Date.now.timeIntervalSince1970
            let listing = try await inspector.list(filter, limit: limit, now: now)
            write(output.json ? try json(listing) : QueueText.table(listing, now: now) + "\n")
            return 0
        }
    }

    /// `poshta queue show ID`: one message in full, or its raw bytes (postcat).
    public static func show(configurationPath: String, id: String, body: Bool, output: Output) async -> Int32 {
        await withInspector(configurationPath) { inspector in
            if body {
                guard let bytes = try await inspector.messageBytes(id) else { return unknown(id) }
                FileHandle.standardOutput.write(Data(bytes))
                return 0
            }
            guard let message = try await inspector.message(id) else { return unknown(id) }
            write(output.json ? try json(message) : QueueText.message(message) + "\n")
            return 0
        }
    }

    /// `poshta queue stats`.
    public static func stats(configurationPath: String, output: Output) async -> Int32 {
        await withInspector(configurationPath) { inspector in
            let stats = try await inspector.stats(now: Date.now.timeIntervalSince1970)
            write(output.json ? try json(stats) : QueueText.stats(stats) + "\n")
            return 0
        }
    }

    /// Reads "30m", "2h", "3d" or seconds, for `--older-than`.
    public static func seconds(_ text: String) -> Double? { QueueText.seconds(text) }

    private static func withInspector(
        _ configurationPath: String, _ body: (QueueInspector) async throws -> Int32
    ) async -> Int32 {
        guard let configuration = Commands.loadConfiguration(configurationPath) else { return Commands.exConfig }
        do {
            let inspector = try QueueInspector(spoolDirectory: configuration.server.spool)
            return try await body(inspector)
        } catch {
            Commands.printError("poshta queue: \(error)")
            return 1
        }
    }

    private static func unknown(_ id: String) -> Int32 {
        Commands.printError("poshta queue: no message \(id) on the spool")
        return 1
    }

    static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self) + "\n"
    }

    private static func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}
