@testable import PoshtaApp
import Testing

/// sendmail's command line as PHP, cron and mail clients write it: glued
/// and separate values, clustered flags, ignored legacy options, and clear
/// refusals of everything else.
@Suite("sendmail arguments")
struct SendmailArgumentsTests {
    private func parse(_ arguments: [String]) throws -> SendmailArguments {
        try SendmailArguments.parse(arguments)
    }

    /// The error `arguments` are refused with.
    private func refusal(_ arguments: [String]) -> SendmailError? {
        do {
            _ = try SendmailArguments.parse(arguments)
            return nil
        } catch {
            return error
        }
    }

    @Test("PHP's default command line, -t -i, reads recipients from the headers and keeps dot lines")
    func phpDefault() throws {
        let arguments = try parse(["-t", "-i"])
        #expect(arguments.recipientsFromHeaders)
        #expect(arguments.ignoreDots)
        #expect(arguments.recipients.isEmpty)
        #expect(arguments.sender == nil)
        #expect(!arguments.verbose)
    }

    @Test("-f takes the sender glued or as the next argument; -r is its old name; <> is the null sender",
          arguments: [
            (["-fshop@shop.example"], "shop@shop.example"),
            (["-f", "shop@shop.example"], "shop@shop.example"),
            (["-f", "<shop@shop.example>"], "shop@shop.example"),
            (["-rshop@shop.example"], "shop@shop.example"),
            (["-f", "<>"], ""),
            (["-f", ""], ""),
          ])
    func sender(_ arguments: [String], _ expected: String) throws {
        #expect(try parse(arguments + ["a@b.example"]).sender == expected)
    }

    @Test("-F takes the full name glued or as the next argument")
    func fullName() throws {
        #expect(try parse(["-F", "Shop Team", "a@b.example"]).fullName == "Shop Team")
        #expect(try parse(["-FShop", "a@b.example"]).fullName == "Shop")
        #expect(try parse(["-F", "Магазин", "a@b.example"]).fullName == "Магазин")
    }

    @Test("-oi means -i; -v is verbose")
    func oiAndVerbose() throws {
        let arguments = try parse(["-oi", "-v", "a@b.example"])
        #expect(arguments.ignoreDots)
        #expect(arguments.verbose)
    }

    @Test("flags cluster as with getopt, and the last letter may take a value", arguments: [
        ["-ti"], ["-it"], ["-t", "-i"], ["-tif", "x@y.example"], ["-tifx@y.example"],
    ])
    func clusters(_ arguments: [String]) throws {
        let parsed = try parse(arguments)
        #expect(parsed.recipientsFromHeaders)
        #expect(parsed.ignoreDots)
    }

    @Test("delivery and error modes and legacy no-ops are accepted and change nothing", arguments: [
        "-odb", "-odi", "-odq", "-oem", "-oee", "-oep", "-oeq", "-oew", "-om", "-n", "-U", "-m", "-bm",
    ])
    func ignored(_ option: String) throws {
        var expected = SendmailArguments()
        expected.recipients = ["a@b.example"]
        #expect(try parse([option, "a@b.example"]) == expected)
    }

    @Test("-B sets the body type, glued or apart, in any case")
    func bodyType() throws {
        #expect(try parse(["-B8BITMIME", "a@b.example"]).bodyType == .eightBitMIME)
        #expect(try parse(["-B", "7BIT", "a@b.example"]).bodyType == .sevenBit)
        #expect(try parse(["-B", "8bitmime", "a@b.example"]).bodyType == .eightBitMIME)
        #expect(try parse(["a@b.example"]).bodyType == nil)
    }

    @Test("-B with another type is refused")
    func badBodyType() throws {
        let error = try #require(refusal(["-B", "BINARYMIME", "a@b.example"]))
        #expect(error.status == .usage)
        #expect(error.message.contains("7BIT or 8BITMIME"))
    }

    @Test("-C and --config choose the configuration file", arguments: [
        ["-C", "/etc/poshta/poshta.toml"], ["-C/etc/poshta/poshta.toml"],
        ["--config", "/etc/poshta/poshta.toml"], ["--config=/etc/poshta/poshta.toml"],
    ])
    func configuration(_ arguments: [String]) throws {
        #expect(try parse(arguments + ["a@b.example"]).configurationPath == "/etc/poshta/poshta.toml")
    }

    @Test("the configuration file defaults to $POSHTA_CONFIG, else conf/poshta.toml")
    func defaultConfiguration() {
        #expect(SendmailArguments.defaultConfigurationPath(environment: [:]) == "conf/poshta.toml")
        #expect(SendmailArguments.defaultConfigurationPath(environment: ["POSHTA_CONFIG": ""]) == "conf/poshta.toml")
        #expect(
            SendmailArguments.defaultConfigurationPath(environment: ["POSHTA_CONFIG": "/etc/poshta.toml"])
                == "/etc/poshta.toml")
    }

    @Test("recipients follow the options; one argument may hold a comma-separated list with names")
    func recipients() throws {
        let arguments = try parse([
            "-i", "a@b.example", "\"Doe, Jane\" <jane@shop.example>, bob@example.net", "<carol@example.org>",
        ])
        #expect(arguments.recipients == ["a@b.example", "jane@shop.example", "bob@example.net", "carol@example.org"])
    }

    @Test("RFC 5322 forms are read as the address they hold", arguments: [
        ("\"john smith\"@example.com", ["\"john smith\"@example.com"]),
        ("a@[192.0.2.1]", ["a@[192.0.2.1]"]),
        ("<@relay.example:jane@shop.example>", ["jane@shop.example"]),
        ("jane@shop.example (Jane (the boss))", ["jane@shop.example"]),
        ("Team: a@b.example, \"C, D\" <c@d.example>;", ["a@b.example", "c@d.example"]),
        ("undisclosed-recipients:;", []),
        ("a@b.example,,c@d.example", ["a@b.example", "c@d.example"]),
        ("Иван <иван@пример.рф>", ["иван@пример.рф"]),
    ])
    func addressForms(_ argument: String, _ expected: [String]) throws {
        #expect(try parse(["-i", argument]).recipients == expected)
    }

    @Test("-- ends the options, so a recipient may start with a dash")
    func doubleDash() throws {
        let arguments = try parse(["-i", "--", "-odd@b.example"])
        #expect(arguments.recipients == ["-odd@b.example"])
        #expect(arguments.ignoreDots)
    }

    @Test("options end at the first recipient")
    func optionsEndAtRecipient() throws {
        let error = try #require(refusal(["a@b.example", "-t"]))
        #expect(error.status == .noUser)
        #expect(error.message.contains("\"-t\""))
    }

    @Test("an unknown option is refused by name", arguments: [
        (["-x"], "-x"), (["-tx"], "-x"), (["-oX"], "-oX"), (["-odz"], "-odz"), (["--verbose"], "--verbose"),
    ])
    func unknownOption(_ arguments: [String], _ name: String) throws {
        let error = try #require(refusal(arguments + ["a@b.example"]))
        #expect(error.status == .usage)
        #expect(error.message == "unknown option \(name)")
    }

    @Test("an option that needs a value and has none is refused", arguments: ["-f", "-F", "-C", "-B", "--config"])
    func missingValue(_ option: String) throws {
        let error = try #require(refusal([option]))
        #expect(error.status == .usage)
        #expect(error.message.contains("needs a value"))
    }

    @Test("modes other than -bm are refused with what they would do", arguments: [
        ("-bp", "list the queue"), ("-bs", "speak SMTP"), ("-bv", "verify"), ("-bd", "daemon"), ("-bi", "aliases"),
    ])
    func otherModes(_ option: String, _ words: String) throws {
        let error = try #require(refusal([option]))
        #expect(error.status == .usage)
        #expect(error.message.contains(option))
        #expect(error.message.contains(words))
        #expect(error.message.contains("only sends mail (-bm)"))
    }

    @Test("a recipient that is not an address is refused as a bad address", arguments: [
        "Jane Doe", "jane@", "<jane@shop.example", "a@b.example>", "\"unterminated@b.example",
    ])
    func badRecipient(_ recipient: String) throws {
        let error = try #require(refusal(["-i", recipient]))
        #expect(error.status == .noUser)
        #expect(error.message.contains("bad recipient"))
    }

    @Test("--help asks for the usage")
    func help() throws {
        #expect(try parse(["--help"]).help)
    }
}
