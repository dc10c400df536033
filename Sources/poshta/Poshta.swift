import ArgumentParser
import Foundation  // exit()
import PoshtaApp

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
        await Poshta.main()
    }
}

/// `poshta`: the daemon and its tools.
struct Poshta: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "A mail server for online shops: SMTP intake, durable spool, delivery.",
        subcommands: [Serve.self, CheckConfig.self, TLS.self, User.self, Version.self])
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
        commandName: "user", abstract: "Users who may log in (AUTH) to relay mail.",
        subcommands: [Add.self, Remove.self, List.self, Passwd.self])

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
        @Argument(help: "The user name (often the user's address).") var name: String

        func run() throws {
            let status = UserCommands.add(
                configurationPath: options.config, name: name, passwordFile: password.passwordFile, senders: senders)
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
