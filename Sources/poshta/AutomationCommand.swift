import ArgumentParser
import PoshtaApp

/// `poshta automation`: the marketing mail waiting for its time.
struct Automation: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Marketing automations: the jobs waiting, one job's dry run, cancelling, figures.",
        subcommands: [List.self, Show.self, Cancel.self, Stats.self, Bench.self])

    struct List: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Jobs, next due first (the scheduled ones unless --state says).")
        @OptionGroup var options: ConfigOption
        @Option(help: "Only this automation, e.g. abandoned_cart.") var automation: String?
        @Option(help: "Only this customer's jobs.") var customer: String?
        @Option(help: "scheduled, sending, sent, cancelled, skipped (repeat or comma-separate).") var state: [String] = []
        @Option(help: "Show at most this many.") var limit: Int = 100
        @Flag(help: "JSON: each job's id, automation, email, subject, due (RFC 3339), state, note.") var json = false

        func run() async throws {
            let status = await AutomationCommands.list(
                configurationPath: options.config, automation: automation, customer: customer, states: state, limit: limit, json: json)
            if status != 0 { throw ExitCode(status) }
        }
    }

    struct Show: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "One job, and the mail it would send if it fired now (nothing is sent).")
        @OptionGroup var options: ConfigOption
        @Argument(help: "The job's id.") var id: Int64

        func run() async throws {
            let status = await AutomationCommands.show(configurationPath: options.config, id: id)
            if status != 0 { throw ExitCode(status) }
        }
    }

    struct Cancel: AsyncParsableCommand {
        static let configuration = CommandConfiguration(abstract: "Cancel scheduled jobs: by id, or all of a customer's and/or an automation's.")
        @OptionGroup var options: ConfigOption
        @Option(help: "All of this customer's scheduled jobs.") var customer: String?
        @Option(help: "All of this automation's scheduled jobs (with --customer: that customer's).") var automation: String?
        @Argument(help: "Job ids.") var ids: [Int64] = []

        func run() async throws {
            let status = await AutomationCommands.cancel(
                configurationPath: options.config, ids: ids, customer: customer, automation: automation)
            if status != 0 { throw ExitCode(status) }
        }
    }

    struct Stats: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Per automation: scheduled now; sent, cancelled, skipped and converted (an order within 7 days) lately.")
        @OptionGroup var options: ConfigOption
        @Option(help: "The period, in days.") var days: Int = 30
        @Flag(help: "JSON.") var json = false

        func run() async throws {
            let status = await AutomationCommands.stats(configurationPath: options.config, days: days, json: json)
            if status != 0 { throw ExitCode(status) }
        }
    }

    struct Bench: AsyncParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Scale benchmark: a fresh store with --jobs scheduled jobs, --due of them due now, fired to a fresh spool.")
        @OptionGroup var options: ConfigOption
        @Option(help: "Scheduled jobs in the store.") var jobs: Int = 1_000_000
        @Option(help: "Of them, due now (abandoned carts).") var due: Int = 20_000
        @Option(help: "Keep the store and spool in this folder (default: a temporary one, removed).") var folder: String?
        @Flag(help: "Only fill the store in --folder, for a daemon to fire (Benchmarks/automations.sh).") var seedOnly = false

        func run() async throws {
            guard !seedOnly || folder != nil else { throw ValidationError("--seed-only needs --folder") }
            let status = await AutomationBench.run(
                configurationPath: options.config, jobs: jobs, due: due, folder: folder, seedOnly: seedOnly)
            if status != 0 { throw ExitCode(status) }
        }
    }
}
