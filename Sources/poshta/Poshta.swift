import ArgumentParser
import PoshtaApp

/// The entry point: runs Swift concurrency on SwiftNIO's event loops, then
/// parses the command line.
@main
enum PoshtaMain {
    static func main() async {
        Commands.runConcurrencyOnEventLoops()
        await Poshta.main()
    }
}

/// `poshta`: the daemon and its tools.
struct Poshta: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "A mail server for online shops: SMTP intake, durable spool, delivery.",
        subcommands: [Serve.self, CheckConfig.self, Version.self])
}

/// The `--config` option every verb shares.
struct ConfigOption: ParsableArguments {
    @Option(name: .long, help: "The configuration file.")
    var config: String = "conf/poshta.toml"
}

struct Serve: AsyncParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Run the daemon until SIGTERM or SIGINT.")
    @OptionGroup var options: ConfigOption

    func run() async throws {
        let status = await Commands.serve(configurationPath: options.config)
        if status != 0 { throw ExitCode(status) }
    }
}

struct CheckConfig: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config", abstract: "Check the configuration file and print what it sets.")
    @OptionGroup var options: ConfigOption

    func run() throws {
        let status = Commands.checkConfig(configurationPath: options.config)
        if status != 0 { throw ExitCode(status) }
    }
}

struct Version: ParsableCommand {
    static let configuration = CommandConfiguration(abstract: "Print the version.")

    func run() {
        print("poshta \(PoshtaVersion.current)")
    }
}
