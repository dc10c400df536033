import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// `poshta sendmail`: a drop-in for `/usr/sbin/sendmail` as PHP's `mail()`,
/// cron and other local programs call it. Reads the message from standard
/// input and hands it over SMTP to the running daemon's relay listener, on
/// loopback, in plain text.
///
/// The message goes to every recipient or to none; exit status 0 means the
/// daemon answered 250 (the message is on disk). Otherwise one line on
/// standard error says why and the status is sendmail's (`SendmailError.Status`).
public enum SendmailCommand {
    /// Runs with the real environment and standard input; returns the exit status.
    public static func run(arguments: [String]) async -> Int32 {
        do {
            if let report = try await submit(arguments: arguments, environment: ProcessInfo.processInfo.environment) {
                Commands.printError(report)
            }
            return 0
        } catch {
            Commands.printError(error.description)
            return error.status.rawValue
        }
    }

    /// Everything but the printing: returns the `-v` report, or nil.
    static func submit(arguments: [String], environment: [String: String]) async throws(SendmailError) -> String? {
        let parsed: SendmailArguments
        do {
            parsed = try SendmailArguments.parse(arguments)
        } catch where error.status == .usage {
            // One line, as for every failure; the usage is one `--help` away.
            throw SendmailError(.usage, "\(error.message) (see poshta sendmail --help)")
        }
        if parsed.help {
            print(SendmailArguments.usage)
            return nil
        }
        let path = parsed.configurationPath ?? SendmailArguments.defaultConfigurationPath(environment: environment)
        let configuration: PoshtaConfiguration
        do {
            configuration = try PoshtaConfiguration.load(path: path)
        } catch {
            throw SendmailError(.configuration, "\(error)")
        }
        let target = try SubmissionTarget.choose(from: configuration.listeners, file: configuration.file)
        let hostname = configuration.server.hostname

        // Read all of the input first: the daemon gets nothing until the
        // message is complete, so a program that dies mid-way sends nothing.
        let input = try readStandardInput(limit: configuration.limits.maxMessageSize)
        let message = try SendmailMessage.prepare(
            input: input, arguments: parsed,
            defaultSender: SendmailMessage.defaultSender(login: login(environment: environment), hostname: hostname),
            hostname: hostname)
        let final = try await SendmailSubmission.send(message, to: target, heloName: hostname)
        guard parsed.verbose else { return nil }
        let line = final.lines.last ?? ""
        let id = line.firstRange(of: "queued as ").map { line[$0.upperBound...].split(separator: " ").first ?? "" }
        let what = id.map { "queued as \($0)" } ?? "accepted: \(final)"
        return "poshta sendmail: \(what), for \(message.recipients.count) recipient(s) via \(target.described)"
    }

    // MARK: - The process's surroundings

    /// The user running the command, for the default sender: from the
    /// password database by effective uid, as Postfix's sendmail does.
    static func login(environment: [String: String]) -> String {
        if let entry = getpwuid(geteuid()), let name = entry.pointee.pw_name {
            let login = String(cString: name)
            if !login.isEmpty { return login }
        }
        return environment["LOGNAME"] ?? environment["USER"] ?? "uid\(geteuid())"
    }

    /// Standard input to its end. Blocking is fine here: this runs once, at
    /// the top of a short-lived command, before any connection exists.
    /// Refuses input larger than the daemon would take (`max_message_size`),
    /// rather than holding a runaway pipe in memory.
    static func readStandardInput(limit: Int) throws(SendmailError) -> [UInt8] {
        var input: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 65_536)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(0, $0.baseAddress, $0.count) }
            if count == 0 { return input }
            if count < 0 {
                if errno == EINTR { continue }
                throw SendmailError(.ioError, "cannot read the message from standard input: \(String(cString: strerror(errno)))")
            }
            input += chunk[..<count]
            if input.count > limit {
                throw SendmailError(
                    .dataError, "the message is larger than the server's limit (max_message_size = \(limit) bytes); it was NOT sent")
            }
        }
    }
}
