import Accounts
import Foundation
import PoshtaTestSupport
import Synchronization
import Testing

@testable import PoshtaApp

/// `poshta user add|remove|list|passwd`, called in-process against a users
/// file in a temporary folder; what they print is captured and searched for
/// the password.
@Suite("User commands")
struct UserCommandsTests {
    static let password = "Correct-Horse-7-Battery"
    static let otherPassword = "Tr0ub4dor-and-3"

    /// A folder with `poshta.toml` (`[auth] users_file = "users"`) and two password files.
    private struct Setup {
        let folder: TemporaryDirectory
        let configuration: String
        let passwordFile: String
        let otherPasswordFile: String
        var usersFile: String { "\(folder.path)/users" }

        init() throws {
            folder = try TemporaryDirectory()
            configuration = try folder.write("[auth]\nusers_file = \"users\"\n", to: "poshta.toml")
            passwordFile = try folder.write(UserCommandsTests.password + "\n", to: "password")
            otherPasswordFile = try folder.write(UserCommandsTests.otherPassword + "\r\nsecond line\n", to: "other")
        }

        func users() throws -> [UserRecord] { try UsersFile.read(path: usersFile) }
    }

    /// Everything a command printed, and what its prompt would read.
    private final class Output: Sendable {
        private let lines = Mutex<(out: [String], err: [String])>(([], []))
        private let answers: Mutex<[String]>

        init(answers: [String] = []) { self.answers = Mutex(answers) }

        var out: [String] { lines.withLock { $0.out } }
        var err: [String] { lines.withLock { $0.err } }
        var all: String { (out + err).joined(separator: "\n") }

        var console: UserCommands.Console {
            UserCommands.Console(
                out: { text in self.lines.withLock { $0.out.append(text) } },
                err: { text in self.lines.withLock { $0.err.append(text) } },
                readSecret: { _ in self.answers.withLock { $0.isEmpty ? nil : $0.removeFirst() } })
        }

        /// Neither password appears in anything printed.
        func expectNoPassword(sourceLocation: SourceLocation = #_sourceLocation) {
            #expect(!all.contains(UserCommandsTests.password), sourceLocation: sourceLocation)
            #expect(!all.contains(UserCommandsTests.otherPassword), sourceLocation: sourceLocation)
        }
    }

    private func add(
        _ setup: Setup, _ name: String, passwordFile: String?, senders: [String] = [], _ output: Output
    ) -> Int32 {
        UserCommands.run(output.console) { console throws(UserCommands.Failure) in
            try UserCommands.add(setup.configuration, name, passwordFile, senders, .fastForTests, console)
        }
    }

    @Test("add writes name:hash with mode 0600; the hash verifies the password from the file")
    func addUser() throws {
        let setup = try Setup()
        let output = Output()
        #expect(add(setup, "bob", passwordFile: setup.passwordFile, output) == 0)
        #expect(output.out == ["added user \"bob\" to \(setup.usersFile)"])
        let users = try setup.users()
        #expect(users.map(\.name) == ["bob"])
        #expect(users.first?.hash.verify(Self.password) == true)
        let text = try String(contentsOfFile: setup.usersFile, encoding: .utf8)
        #expect(text.contains("\nbob:$scrypt$ln=10,r=8,p=1$"))
        #expect(!text.contains(Self.password))
        let mode = try FileManager.default.attributesOfItem(atPath: setup.usersFile)[.posixPermissions] as? Int
        #expect(mode == 0o600)
        output.expectNoPassword()
    }

    @Test("the public add works the same and uses the standard cost")
    func publicAdd() throws {
        let setup = try Setup()
        let status = UserCommands.add(configurationPath: setup.configuration, name: "bob", passwordFile: setup.passwordFile)
        #expect(status == 0)
        let hash = try #require(try setup.users().first?.hash)
        #expect(hash.cost == .standard)
        #expect(hash.verify(Self.password))
    }

    @Test("add refuses a name that exists already, and leaves the file alone")
    func addExisting() throws {
        let setup = try Setup()
        #expect(add(setup, "bob", passwordFile: setup.passwordFile, Output()) == 0)
        let before = try String(contentsOfFile: setup.usersFile, encoding: .utf8)
        let output = Output()
        #expect(add(setup, "bob", passwordFile: setup.otherPasswordFile, output) == 1)
        #expect(output.err == ["poshta: user \"bob\" exists already in \(setup.usersFile)"])
        #expect(try String(contentsOfFile: setup.usersFile, encoding: .utf8) == before)
        output.expectNoPassword()
    }

    @Test("add refuses bad names and senders with status 64")
    func addInvalid() throws {
        let setup = try Setup()
        let output = Output()
        #expect(add(setup, "bob:admin", passwordFile: setup.passwordFile, output) == 64)
        #expect(add(setup, "", passwordFile: setup.passwordFile, output) == 64)
        #expect(add(setup, "bob", passwordFile: setup.passwordFile, senders: ["not an address"], output) == 64)
        #expect(output.err.count == 3)
        #expect(output.err[0].contains("is not a valid user name"))
        #expect(output.err[2].contains("sender \"not an address\""))
        #expect(!FileManager.default.fileExists(atPath: setup.usersFile))
    }

    @Test("the password is the file's first line without its CRLF; an empty or missing file is refused")
    func passwordFileRules() throws {
        let setup = try Setup()
        let output = Output()
        #expect(add(setup, "anna", passwordFile: setup.otherPasswordFile, output) == 0)
        #expect(try setup.users().first?.hash.verify(Self.otherPassword) == true)

        let empty = try setup.folder.write("\nsecond line\n", to: "empty")
        #expect(add(setup, "bob", passwordFile: empty, output) == 64)
        #expect(output.err.last == "poshta: the first line of \(empty) is empty: no password")
        #expect(add(setup, "bob", passwordFile: "\(setup.folder.path)/absent", output) == 66)
        #expect(output.err.last?.contains("cannot read the password file \(setup.folder.path)/absent") == true)
        #expect(try setup.users().map(\.name) == ["anna"])
        output.expectNoPassword()
    }

    @Test("without --password-file the password is asked twice; no terminal, a mismatch or an empty one is refused")
    func terminalPrompt() throws {
        let setup = try Setup()
        let noTerminal = Output()
        #expect(add(setup, "bob", passwordFile: nil, noTerminal) == 64)
        #expect(noTerminal.err == ["poshta: no terminal to ask for the password on; use --password-file FILE"])

        let mismatch = Output(answers: [Self.password, Self.otherPassword])
        #expect(add(setup, "bob", passwordFile: nil, mismatch) == 64)
        #expect(mismatch.err == ["poshta: the passwords did not match"])
        mismatch.expectNoPassword()

        let empty = Output(answers: ["", ""])
        #expect(add(setup, "bob", passwordFile: nil, empty) == 64)

        let typed = Output(answers: [Self.password, Self.password])
        #expect(add(setup, "bob", passwordFile: nil, typed) == 0)
        #expect(try setup.users().first?.hash.verify(Self.password) == true)
        typed.expectNoPassword()
    }

    @Test("passwd replaces the hash and keeps the senders; an unknown user is refused")
    func changePassword() throws {
        let setup = try Setup()
        #expect(add(setup, "bob", passwordFile: setup.passwordFile, senders: ["@b.example"], Output()) == 0)
        let output = Output()
        let status = UserCommands.run(output.console) { console throws(UserCommands.Failure) in
            try UserCommands.passwd(setup.configuration, "bob", setup.otherPasswordFile, .fastForTests, console)
        }
        #expect(status == 0)
        let bob = try #require(try setup.users().first)
        #expect(bob.hash.verify(Self.otherPassword))
        #expect(!bob.hash.verify(Self.password))
        #expect(bob.senders == ["@b.example"])

        let unknown = UserCommands.passwd(
            configurationPath: setup.configuration, name: "carol", passwordFile: setup.passwordFile, cost: .fastForTests)
        #expect(unknown == 1)
        output.expectNoPassword()
    }

    @Test("remove deletes one user; an unknown user is refused")
    func removeUser() throws {
        let setup = try Setup()
        #expect(add(setup, "bob", passwordFile: setup.passwordFile, Output()) == 0)
        #expect(add(setup, "anna", passwordFile: setup.passwordFile, Output()) == 0)
        let output = Output()
        #expect(UserCommands.run(output.console) { console throws(UserCommands.Failure) in
            try UserCommands.remove(setup.configuration, "bob", console)
        } == 0)
        #expect(output.out == ["removed user \"bob\" from \(setup.usersFile)"])
        #expect(try setup.users().map(\.name) == ["anna"])
        #expect(UserCommands.remove(configurationPath: setup.configuration, name: "bob") == 1)
    }

    @Test("list prints names and senders, never hashes")
    func listUsers() throws {
        let setup = try Setup()
        let emptyList = Output()
        #expect(UserCommands.run(emptyList.console) { console throws(UserCommands.Failure) in
            try UserCommands.list(setup.configuration, console)
        } == 0)
        #expect(emptyList.out.isEmpty)
        #expect(emptyList.err == ["poshta: no users in \(setup.usersFile)"])

        #expect(add(setup, "bob", passwordFile: setup.passwordFile, Output()) == 0)
        #expect(
            add(setup, "shop@b.example", passwordFile: setup.passwordFile, senders: ["@b.example", "x@c.example"], Output())
                == 0)
        let output = Output()
        #expect(UserCommands.run(output.console) { console throws(UserCommands.Failure) in
            try UserCommands.list(setup.configuration, console)
        } == 0)
        #expect(output.out == ["bob", "shop@b.example\t@b.example,x@c.example"])
        #expect(!output.all.contains("$scrypt"))
    }

    @Test("a configuration that does not load gives status 78 and its error")
    func badConfiguration() throws {
        let setup = try Setup()
        let broken = try setup.folder.write("[auth]\nusers_file = 3\n", to: "broken.toml")
        let output = Output()
        #expect(UserCommands.run(output.console) { console throws(UserCommands.Failure) in
            try UserCommands.list(broken, console)
        } == 78)
        #expect(output.err.first?.hasPrefix("poshta: \(broken)") == true)
        #expect(UserCommands.list(configurationPath: "\(setup.folder.path)/absent.toml") == 78)
    }

    @Test("a users file with a bad line is reported by line and not rewritten")
    func badUsersFile() throws {
        let setup = try Setup()
        try setup.folder.write("# users\nbob\n", to: "users")
        let output = Output()
        #expect(add(setup, "anna", passwordFile: setup.passwordFile, output) == 1)
        #expect(output.err.first?.hasPrefix("poshta: \(setup.usersFile):2: ") == true)
        #expect(try String(contentsOfFile: setup.usersFile, encoding: .utf8) == "# users\nbob\n")
        output.expectNoPassword()
    }
}
