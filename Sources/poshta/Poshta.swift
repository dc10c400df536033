import Accounts
public import ArgumentParser
import Foundation  // exit()
public import PoshtaApp
import Spool

/// The entry point: runs Swift concurrency on SwiftNIO's event loops, then
/// parses the command line.
@main
enum PoshtaMain {
    static func main() async {
        // sendmail's command line is not argument-parser's: run it before parsing.
        let arguments = CommandLine.arguments
        if arguments.first?.split(separator: "/").last == "sendmail" {
            exit(await SendmailCommand.run(arguments: Array(arguments.dropFirst())))
        }
        if arguments.count > 1, arguments[1] == "sendmail" {
            exit(await SendmailCommand.run(arguments: Array(arguments.dropFirst(2))))
        }
        Commands.runConcurrencyOnEventLoops()
        // Postfix's habit: mailq is the queue listing.
        if arguments.first?.split(separator: "/").last == "mailq" {
            await Poshta.main(["queue", "list"] + arguments.dropFirst())
            return
        }
        await Poshta.main()
    }
}

extension Commands.LogFormat: ExpressibleByArgument {}
extension UserRecord.Role: ExpressibleByArgument {}

/// `poshta`: the daemon and its tools.
struct Poshta: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "A mail server for online shops: SMTP intake, durable spool, delivery.",
        subcommands: [
            Serve.self, CheckConfig.self, Queue.self, Template.self, Catalog.self, Coupon.self, Automation.self, Customer.self,
            DKIM.self, Sendmail.self, InstallLinks.self, TLS.self, User.self,
            Version.self,
        ])
}

/// The `--config` option every verb shares.
struct ConfigOption: ParsableArguments {
    @Option(name: .long, help: "The configuration file ($POSHTA_CONFIG when set).")
    var config: String = SendmailArguments.defaultConfigurationPath(environment: ProcessInfo.processInfo.environment)
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the daemon until SIGTERM or SIGINT.")
    @OptionGroup var options: ConfigOption
    @Option(help: "text (grep-friendly lines) or json (one object per line, for log shippers).")
    var logFormat: Commands.LogFormat = .text

    func run() async throws {
        let status = await Commands.serve(configurationPath: options.config, logFormat: logFormat)
        if status != 0 { throw ExitCode(status) }
    }
}

struct Queue: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Look at and steer the mail queue through the daemon's admin API.",
        discussion: """
            list, show, stats and watch read the spool directly (read-only) when the daemon \
            does not answer, and say so; hold, release, retry and delete need the daemon.
            """,
        subcommands: [List.self, Show.self, Stats.self, Watch.self, Hold.self, Release.self, Retry.self, Delete.self])

    /// `--config`, `--admin`, `--json`.
    struct Options: ParsableArguments {
        @OptionGroup var config: ConfigOption
        @Option(help: "The admin API, e.g. http://127.0.0.1:8025 (default: [admin] address).") var admin: String?
        @Flag(help: "Print JSON for scripts instead of text.") var json = false

        var values: QueueCommands.Options {
            QueueCommands.Options(configurationPath: config.config, admin: admin, json: json)
        }
    }

    /// The filters `list` and the changing verbs share.
    struct Filters: ParsableArguments {
        @Option(help: "Only recipients in these states (comma-separated): queued, deferred, active, hold.")
        var state: String?
        @Option(help: "Part of the envelope sender; <> for bounces.") var sender: String?
        @Option(help: "Part of a recipient's address.") var recipient: String?
        @Option(help: "A recipient's domain.") var domain: String?
        @Option(help: "Arrived at least this long ago: 90s, 30m, 2h, 3d.") var olderThan: String?
        @Option(help: "The shop's order number.") var order: String?
        @Option(help: "The customer (e-mail address).") var customer: String?
        @Option(help: "The automation, e.g. abandoned_cart.") var automation: String?
        @Option(help: "The template key, e.g. order_paid.") var template: String?

        func filter() throws -> QueueFilter {
            var states: [RecipientState]?
            if let state {
                states = try state.split(separator: ",").map { name in
                    guard let value = RecipientState(rawValue: name.trimmingCharacters(in: .whitespaces)),
                        RecipientState.pending.contains(value)
                    else { throw ValidationError("--state: \"\(name)\" is not one of queued, deferred, active, hold") }
                    return value
                }
            }
            var age: Double?
            if let olderThan {
                guard let seconds = QueueCommands.seconds(olderThan) else {
                    throw ValidationError("--older-than: \"\(olderThan)\" is not a duration like 90s, 30m, 2h or 3d")
                }
                age = seconds
            }
            return QueueFilter(
                states: states, sender: sender, recipient: recipient, domain: domain, olderThan: age, template: template,
                automation: automation, order: order, customer: customer)
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List queued messages, oldest first, like mailq.")
        @OptionGroup var options: Options
        @OptionGroup var filters: Filters
        @Option(help: "Show at most this many messages (0: all).") var limit: Int = 1000

        func run() async throws {
            let status = await QueueCommands.list(
                options.values, filter: try filters.filter(), limit: limit == 0 ? nil : limit)
            if status != 0 { throw ExitCode(status) }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One message: envelope, recipients, attempts.")
        @OptionGroup var options: Options
        @Flag(help: "Print the message itself, as it will be sent (like postcat).") var body = false
        @Argument(help: "The queue id.") var id: String

        func run() async throws {
            let status = await QueueCommands.show(options.values, id: id, body: body)
            if status != 0 { throw ExitCode(status) }
        }
    }

    struct Stats: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Counts by state and destination, the oldest message, the last minute and hour.")
        @OptionGroup var options: Options

        func run() async throws {
            let status = await QueueCommands.stats(options.values)
            if status != 0 { throw ExitCode(status) }
        }
    }

    struct Watch: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "A live view of the queue, refreshed every second; q or Ctrl-C quits.")
        @OptionGroup var options: Options
        @Option(help: "Seconds between refreshes.") var interval: Double = 1

        func run() async throws {
            guard interval >= 0.1 else { throw ValidationError("--interval: at least 0.1 seconds") }
            let status = await QueueCommands.watch(options.values, interval: interval)
            if status != 0 { throw ExitCode(status) }
        }
    }

    /// The selection the changing verbs take: ids, filters or --all.
    struct Selection: ParsableArguments {
        @OptionGroup var filters: Filters
        @Flag(help: "Every message in the queue.") var all = false
        @Argument(help: "Queue ids.") var ids: [String] = []

        func selection() throws -> QueueCommands.Selection {
            let filter = try filters.filter()
            switch (ids.isEmpty, filter.selectsEverything, all) {
            case (false, true, false): return .ids(ids)
            case (true, false, false): return .filter(filter)
            case (true, true, true): return .all
            case (true, true, false): throw ValidationError("name queue ids, filters (--state, --domain, …) or --all")
            default: throw ValidationError("give queue ids, filters or --all, not several of them")
            }
        }
    }

    struct Hold: QueueActionCommand {
        static let configuration = CommandConfiguration(
            abstract: "Put messages on hold: no delivery until released (postsuper -h).")
        static let action = QueueAction.hold
        @OptionGroup var options: Options
        @OptionGroup var selection: Selection
    }

    struct Release: QueueActionCommand {
        static let configuration = CommandConfiguration(abstract: "Release held messages, due now (postsuper -H).")
        static let action = QueueAction.release
        @OptionGroup var options: Options
        @OptionGroup var selection: Selection
    }

    struct Retry: QueueActionCommand {
        static let configuration = CommandConfiguration(
            abstract: "Try queued and deferred messages now (postqueue -f, postqueue -i ID).")
        static let action = QueueAction.retry
        @OptionGroup var options: Options
        @OptionGroup var selection: Selection
    }

    struct Delete: QueueActionCommand {
        static let configuration = CommandConfiguration(
            abstract: "Delete messages from the queue; nothing is sent, no bounce (postsuper -d).")
        static let action = QueueAction.delete
        @OptionGroup var options: Options
        @OptionGroup var selection: Selection
    }
}

struct Catalog: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The shop's products: import a CSV or JSON-lines file, list, show.",
        subcommands: [Import.self, List.self, Show.self])

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Upsert products by sku from FILE (.csv with a header row, or .jsonl); all or nothing.")
        @OptionGroup var options: ConfigOption
        @Flag(help: "Import the good rows even if some are bad (the bad ones are listed).") var skipBad = false
        @Argument(help: "The file, .csv or .jsonl.") var file: String

        func run() async throws {
            let status = await CatalogCommands.importFile(configurationPath: options.config, file: file, skipBad: skipBad)
            if status != 0 { throw ExitCode(status) }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List products by sku.")
        @OptionGroup var options: ConfigOption
        @Option(help: "Show at most this many.") var limit: Int = 1000

        func run() async throws {
            let status = await CatalogCommands.list(configurationPath: options.config, limit: limit)
            if status != 0 { throw ExitCode(status) }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One product, as JSON.")
        @OptionGroup var options: ConfigOption
        @Argument(help: "The sku.") var sku: String

        func run() async throws {
            let status = await CatalogCommands.show(configurationPath: options.config, sku: sku)
            if status != 0 { throw ExitCode(status) }
        }
    }
}

struct Coupon: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Coupon codes: import a pool for a template key, list what was handed out.",
        subcommands: [Import.self, List.self])

    struct Import: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add codes (one per line) to a template key's pool.")
        @OptionGroup var options: ConfigOption
        @Option(name: .customLong("for"), help: "The template key, e.g. order_paid.") var template: String
        @Argument(help: "The file of codes.") var file: String

        func run() async throws {
            let status = await CouponCommands.importFile(configurationPath: options.config, file: file, template: template)
            if status != 0 { throw ExitCode(status) }
        }
    }

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Codes with their status and who got them, newest first.")
        @OptionGroup var options: ConfigOption
        @Option(name: .customLong("for"), help: "Only this template key's codes.") var template: String?
        @Option(help: "Show at most this many.") var limit: Int = 100

        func run() async throws {
            let status = await CouponCommands.list(configurationPath: options.config, template: template, limit: limit)
            if status != 0 { throw ExitCode(status) }
        }
    }
}

struct Template: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "The shop's mail templates: check them all, preview one.",
        subcommands: [Check.self, Preview.self, SendTest.self, Bench.self])

    struct SendTest: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "send-test",
            abstract: "Send a key's sample (or --data) through the running daemon to an address, as the shop would.")
        @OptionGroup var options: ConfigOption
        @Option(help: "The recipient.") var to: String
        @Option(help: "The locale (default: [shop] default_locale).") var locale: String?
        @Option(help: "The data as JSON (default: the key's sample).") var data: String?
        @Argument(help: "The template key.") var key: String

        func run() async throws {
            let status = await TemplateCommands.sendTest(
                configurationPath: options.config, key: key, locale: locale, dataFile: data, to: to)
            if status != 0 { throw ExitCode(status) }
        }
    }

    struct Bench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Benchmark: render a key's sample many times and print renders per second.")
        @OptionGroup var options: ConfigOption
        @Option(help: "The locale.") var locale: String = "bg"
        @Option(help: "How many renders.") var count: Int = 5000
        @Option(help: "Order lines in the data.") var items: Int = 10
        @Argument(help: "The template key.") var key: String = "order_paid"

        func run() async throws {
            guard count > 0, count <= 1_000_000, items > 0, items <= 1000 else {
                throw ValidationError("--count 1…1000000, --items 1…1000")
            }
            let status = await TemplateCommands.bench(
                configurationPath: options.config, key: key, locale: locale, count: count, items: items)
            if status != 0 { throw ExitCode(status) }
        }
    }

    struct Check: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Render every key in every locale with its sample data; fail on any error.")
        @OptionGroup var options: ConfigOption

        func run() async throws {
            let status = await TemplateCommands.check(configurationPath: options.config)
            if status != 0 { throw ExitCode(status) }
        }
    }

    struct Preview: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Print one key's subject and text, write its HTML (and with --eml the whole message).")
        @OptionGroup var options: ConfigOption
        @Option(help: "The locale, e.g. bg (default: [shop] default_locale).") var locale: String?
        @Option(help: "The data as JSON (default: the key's sample).") var data: String?
        @Option(help: "Where to write the HTML (default: KEY.LOCALE.html).") var html: String?
        @Option(help: "Also write the whole message (.eml) here.") var eml: String?
        @Argument(help: "The template key, e.g. order_paid.") var key: String

        func run() async throws {
            let status = await TemplateCommands.preview(
                configurationPath: options.config, key: key, locale: locale, dataFile: data, htmlFile: html, emlFile: eml)
            if status != 0 { throw ExitCode(status) }
        }
    }
}

/// Listed for `poshta help`; `main` runs sendmail before argument parsing.
struct Sendmail: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "A drop-in for /usr/sbin/sendmail (PHP's mail()): -t -i -f -F, the message on standard input.")
    @Argument(parsing: .allUnrecognized) var arguments: [String] = []
}

struct InstallLinks: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "install-links",
        abstract: "Make the links sendmail and mailq to this poshta in a folder (e.g. /usr/sbin).")
    @Flag(help: "Replace files of those names that are not already links to this poshta.") var force = false
    @Argument(help: "The folder, e.g. /usr/sbin or /usr/local/bin.") var directory: String

    func run() throws {
        let status = LinkCommands.install(in: directory, force: force)
        if status != 0 { throw ExitCode(status) }
    }
}

/// hold, release, retry, delete: one action on ids, filters or --all.
protocol QueueActionCommand: AsyncParsableCommand {
    static var action: QueueAction { get }
    var options: Queue.Options { get }
    var selection: Queue.Selection { get }
}

extension QueueActionCommand {
    func run() async throws {
        let status = await QueueCommands.apply(Self.action, to: try selection.selection(), options.values)
        if status != 0 { throw ExitCode(status) }
    }
}

struct CheckConfig: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config", abstract: "Check the configuration file and print what it sets.")
    @OptionGroup var options: ConfigOption

    func run() async throws {
        let status = await Commands.checkConfig(configurationPath: options.config)
        if status != 0 { throw ExitCode(status) }
    }
}

struct Version: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the version.")

    func run() {
        print("poshta \(PoshtaVersion.current)")
    }
}

struct TLS: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "tls", abstract: "Certificates for the TLS listeners.", subcommands: [SelfSigned.self])

    struct SelfSigned: ParsableCommand {
        static let configuration = CommandConfiguration(
            commandName: "selfsigned",
            abstract: "Write a new key and a self-signed certificate to the [tls] paths.")
        @OptionGroup var options: ConfigOption
        @Option(help: "The name the certificate is for (default: [server] hostname).")
        var hostname: String?
        @Option(help: "Days the certificate is valid.")
        var days: Int = 365
        @Flag(help: "Replace an existing certificate and key.")
        var force = false

        func run() throws {
            let status = TLSCommands.selfSigned(
                configurationPath: options.config, hostname: hostname, days: days, force: force)
            if status != 0 { throw ExitCode(status) }
        }
    }
}

struct User: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "user", abstract: "Users who may log in (AUTH) to relay mail, or sign in to the web console.",
        subcommands: [Add.self, Remove.self, List.self, Passwd.self, Role.self])

    /// Where the password comes from: a file, or the terminal (never the command line).
    struct PasswordOption: ParsableArguments {
        @Option(help: "Read the password from the first line of this file instead of asking.")
        var passwordFile: String?
    }

    struct Add: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Add a user; asks for the password twice.")
        @OptionGroup var options: ConfigOption
        @OptionGroup var password: PasswordOption
        @Option(
            name: .customLong("sender"),
            help: "An address (a@shop.example) or domain (@shop.example) this user may send as; repeatable.")
        var senders: [String] = []
        @Option(help: "Let the user sign in to the web console: owner (the shop's pages) or admin (also the queue).")
        var role: UserRecord.Role?
        @Argument(help: "The user name (often the user's address).") var name: String

        func run() throws {
            let status = UserCommands.add(
                configurationPath: options.config, name: name, passwordFile: password.passwordFile, senders: senders,
                role: role)
            if status != 0 { throw ExitCode(status) }
        }
    }

    struct Remove: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Remove a user.")
        @OptionGroup var options: ConfigOption
        @Argument var name: String

        func run() throws {
            let status = UserCommands.remove(configurationPath: options.config, name: name)
            if status != 0 { throw ExitCode(status) }
        }
    }

    struct List: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "List the users (never their hashes).")
        @OptionGroup var options: ConfigOption

        func run() throws {
            let status = UserCommands.list(configurationPath: options.config)
            if status != 0 { throw ExitCode(status) }
        }
    }

    struct Role: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Let a user sign in to the web console as owner or admin, or (none) no longer.")
        @OptionGroup var options: ConfigOption
        @Argument var name: String
        @Argument(help: "owner, admin or none.") var role: String

        func run() throws {
            guard role == "none" || UserRecord.Role(rawValue: role) != nil else {
                throw ValidationError("the role is owner, admin or none, not \"\(role)\"")
            }
            let status = UserCommands.setRole(configurationPath: options.config, name: name, role: UserRecord.Role(rawValue: role))
            if status != 0 { throw ExitCode(status) }
        }
    }

    struct Passwd: ParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Change a user's password.")
        @OptionGroup var options: ConfigOption
        @OptionGroup var password: PasswordOption
        @Argument var name: String

        func run() throws {
            let status = UserCommands.passwd(
                configurationPath: options.config, name: name, passwordFile: password.passwordFile)
            if status != 0 { throw ExitCode(status) }
        }
    }
}
