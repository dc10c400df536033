import MIME

/// The command line of `sendmail` as PHP's `mail()`, cron and other programs
/// call it: `sendmail -t -i -f shop@shop.example`, read the way Postfix's
/// sendmail reads it.
///
/// Not swift-argument-parser: sendmail's options are single-dash and take
/// their value glued or apart (`-fsender`, `-f sender`), and flags may be
/// clustered (`-ti`), as with `getopt(3)`. Options end at `--` or at the
/// first recipient (Postfix's `+` getopt: a recipient is never taken for an
/// option).
///
/// - SeeAlso: Postfix `sendmail(1)`, `src/sendmail/sendmail.c`
public struct SendmailArguments: Sendable, Equatable {
    /// `-B`: what the body is, for `BODY=` (RFC 6152).
    public enum BodyType: String, Sendable, Equatable {
        case sevenBit = "7BIT"
        case eightBitMIME = "8BITMIME"
    }

    /// `-f` (or the old `-r`): the envelope sender as given, angle brackets
    /// removed; "" is the null sender `<>`. Nil: the login at the host name.
    public var sender: String?
    /// `-F`: the sender's full name, for a From header added when missing.
    public var fullName: String?
    /// `-t`: recipients also come from the To, Cc and Bcc headers.
    public var recipientsFromHeaders = false
    /// `-i` or `-oi`: a line with a single "." does not end the message.
    public var ignoreDots = false
    /// `-v`: say what happened (the queue id) on standard error.
    public var verbose = false
    /// `-B`: the body type; nil lets the message's bytes decide.
    public var bodyType: BodyType?
    /// `-C` or `--config`: the Poshta configuration file.
    public var configurationPath: String?
    /// `--help`: print the usage and send nothing.
    public var help = false
    /// The addresses after the options, comma-separated lists split.
    public var recipients: [String] = []

    public init() {}

    /// The configuration file every `poshta` verb uses unless told otherwise:
    /// `$POSHTA_CONFIG` when set, else `conf/poshta.toml`.
    public static func defaultConfigurationPath(environment: [String: String]) -> String {
        if let path = environment["POSHTA_CONFIG"], !path.isEmpty { return path }
        return "conf/poshta.toml"
    }

    /// One line on what the command accepts, for errors and `--help`.
    public static let usage =
        "usage: poshta sendmail [-t] [-i] [-v] [-f sender] [-F name] [-B 7BIT|8BITMIME] [-C config] [--] [recipient ...]"

    // getopt's view of sendmail's letters: which take a value.
    private static let flags: Set<Character> = ["t", "i", "v", "n", "U", "m"]
    private static let withValue: Set<Character> = ["f", "r", "F", "B", "b", "o", "C"]

    /// Reads the arguments after `sendmail` (without the program's name).
    public static func parse(_ arguments: [String]) throws(SendmailError) -> SendmailArguments {
        var result = SendmailArguments()
        var index = 0
        var rest: [String] = []
        while index < arguments.count {
            let argument = arguments[index]
            index += 1
            if argument == "--" {
                rest = Array(arguments[index...])
                break
            }
            if argument.hasPrefix("--") {
                try result.applyLong(argument, next: { () throws(SendmailError) -> String in
                    guard index < arguments.count else { throw missingValue(argument) }
                    index += 1
                    return arguments[index - 1]
                })
                continue
            }
            guard argument.hasPrefix("-"), argument.count > 1 else {
                rest = Array(arguments[(index - 1)...])
                break
            }
            // A cluster such as `-ti` or `-tf sender`: flags, then at most one
            // letter with a value, glued (`-fsender`) or in the next argument.
            var letters = Substring(argument.dropFirst())
            while let letter = letters.first {
                letters = letters.dropFirst()
                if flags.contains(letter) {
                    result.applyFlag(letter)
                    continue
                }
                guard withValue.contains(letter) else { throw SendmailError(.usage, "unknown option -\(letter)") }
                let value: String
                if !letters.isEmpty {
                    value = String(letters)
                } else {
                    guard index < arguments.count else { throw missingValue("-\(letter)") }
                    value = arguments[index]
                    index += 1
                }
                try result.apply(letter, value)
                break
            }
        }
        for argument in rest {
            do {
                result.recipients += try AddressList.addresses(in: argument)
            } catch {
                throw SendmailError(.noUser, "bad recipient \"\(argument)\": \(error)")
            }
        }
        return result
    }

    private static func missingValue(_ option: String) -> SendmailError {
        SendmailError(.usage, "option \(option) needs a value")
    }

    private mutating func applyFlag(_ letter: Character) {
        switch letter {
        case "t": recipientsFromHeaders = true
        case "i": ignoreDots = true
        case "v": verbose = true
        default: break  // -n (no aliases), -U (initial submission), -m (me too): no-ops, as in Postfix
        }
    }

    private mutating func apply(_ letter: Character, _ value: String) throws(SendmailError) {
        switch letter {
        case "f", "r":
            sender = Self.unbracketed(value)
        case "F":
            fullName = value
        case "C":
            configurationPath = value
        case "B":
            guard let type = BodyType(rawValue: value.uppercased()) else {
                throw SendmailError(.usage, "-B \(value): the body type must be 7BIT or 8BITMIME")
            }
            bodyType = type
        case "b":
            try Self.checkMode(value)
        default:
            try applyOption(value)
        }
    }

    /// `-o` letters: `-oi` means `-i`; delivery (`-od…`) and error (`-oe…`)
    /// modes are the daemon's business and are accepted without effect.
    private mutating func applyOption(_ value: String) throws(SendmailError) {
        if value == "i" {
            ignoreDots = true
        } else if value.count == 2, value.hasPrefix("d"), "bidq".contains(value.dropFirst()) {
            // -odb, -odi, -odd, -odq: Poshta always queues and delivers in the background.
        } else if value.count == 2, value.hasPrefix("e"), "empqw".contains(value.dropFirst()) {
            // -oem, -oee, …: errors always come back as this command's exit status.
        } else if value == "m" {
            // -om (me too): a no-op.
        } else {
            throw SendmailError(.usage, "unknown option -o\(value)")
        }
    }

    /// `--config FILE`, `--config=FILE`, `--help`.
    private mutating func applyLong(
        _ argument: String, next: () throws(SendmailError) -> String
    ) throws(SendmailError) {
        if argument == "--help" {
            help = true
        } else if argument == "--config" {
            configurationPath = try next()
        } else if argument.hasPrefix("--config=") {
            configurationPath = String(argument.dropFirst("--config=".count))
        } else {
            throw SendmailError(.usage, "unknown option \(argument)")
        }
    }

    /// `-bm` (send a message) is the only mode; the others are refused by name.
    private static func checkMode(_ mode: String) throws(SendmailError) {
        let names = [
            "p": "list the queue", "s": "speak SMTP on standard input", "d": "run as a daemon",
            "i": "rebuild the aliases", "v": "verify addresses", "a": "speak ARPANET", "t": "test addresses",
            "h": "show the host status", "H": "purge the host status", "D": "run as a daemon in the foreground",
        ]
        guard mode != "m" else { return }
        let what = names[mode].map { " (\($0))" } ?? ""
        throw SendmailError(.usage, "mode -b\(mode)\(what) is not supported; poshta sendmail only sends mail (-bm)")
    }

    /// `<a@b>` → `a@b`, `<>` → "" (the null sender).
    private static func unbracketed(_ value: String) -> String {
        let trimmed = value.trimmingSpaces
        if trimmed.hasPrefix("<"), trimmed.hasSuffix(">"), trimmed.count >= 2 {
            return String(trimmed.dropFirst().dropLast()).trimmingSpaces
        }
        return trimmed
    }
}

extension String {
    /// Without leading and trailing spaces and tabs.
    fileprivate var trimmingSpaces: String {
        let isSpace: (Character) -> Bool = { $0 == " " || $0 == "\t" }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}
