import ArgumentParser
import PoshtaApp

/// `poshta customer`: one customer's story, and the GDPR erasure.
struct Customer: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "A customer's timeline and scheduled marketing (show), or their erasure (forget).",
        subcommands: [Show.self, Forget.self])

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Events, orders, mail and its fate, coupons, unsubscribes; scheduled marketing with a dry run of each.")
        @OptionGroup var options: ConfigOption
        @Argument(help: "The customer's address.") var email: String

        func run() async throws {
            let status = await CustomerCommands.show(configurationPath: options.config, email: email)
            if status != 0 { throw ExitCode(status) }
        }
    }

    struct Forget: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Erase the customer (GDPR): store rows, scheduled jobs, queued marketing mail; the log keeps a hash.")
        @OptionGroup var options: ConfigOption
        @Option(help: "The admin API (default: [admin] address).") var admin: String?
        @Argument(help: "The customer's address.") var email: String

        func run() async throws {
            let status = await CustomerCommands.forget(configurationPath: options.config, email: email, admin: admin)
            if status != 0 { throw ExitCode(status) }
        }
    }
}
