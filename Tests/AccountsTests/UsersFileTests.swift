import Foundation
import PoshtaTestSupport
import Testing

@testable import Accounts

/// The users file: reading with comments, refusing bad lines by number,
/// writing atomically with mode 0600.
@Suite("Users file")
struct UsersFileTests {
    static let hash = PasswordHashTests.foreign

    private func failure(_ text: String) throws -> UsersFileError? {
        let folder = try TemporaryDirectory()
        let path = try folder.write(text, to: "users")
        do {
            _ = try UsersFile.read(path: path)
            return nil
        } catch {
            return error
        }
    }

    private func permissions(_ path: String) throws -> Int {
        let attributes = try FileManager.default.attributesOfItem(atPath: path)
        return try #require(attributes[.posixPermissions] as? Int)
    }

    @Test("comments, blank lines, CRLF and surrounding spaces are skipped; users keep file order and senders")
    func readWithComments() throws {
        let folder = try TemporaryDirectory()
        let path = try folder.write(
            """
            # submission users

            bob:\(Self.hash)
              # indented comment
            \tshop@b.example:\(Self.hash):@b.example,sales@c.example\r
            anna:\(Self.hash):
            """, to: "users")
        let users = try UsersFile.read(path: path)
        #expect(users.map(\.name) == ["bob", "shop@b.example", "anna"])
        #expect(users[0].senders.isEmpty)
        #expect(users[1].senders == ["@b.example", "sales@c.example"])
        #expect(users[2].senders.isEmpty)
        #expect(users[0].hash.verify("correct horse battery staple"))
    }

    @Test("a file that does not exist holds no users")
    func missingFile() throws {
        let folder = try TemporaryDirectory()
        #expect(try UsersFile.read(path: "\(folder.path)/nothing-here").isEmpty)
    }

    @Test("a console role is the fourth field, with or without senders, and reads back")
    func roles() throws {
        let folder = try TemporaryDirectory()
        let source = try folder.write(
            "maria:\(Self.hash)::owner\nivan:\(Self.hash):ivan@b.example:admin\nshop:\(Self.hash)\n", to: "in")
        let users = try UsersFile.read(path: source)
        #expect(users.map(\.role) == [.owner, .admin, nil])
        #expect(users[0].senders.isEmpty && users[1].senders == ["ivan@b.example"])
        let path = "\(folder.path)/users"
        try UsersFile.write(users, to: path)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.hasSuffix("maria:\(Self.hash)::owner\nivan:\(Self.hash):ivan@b.example:admin\nshop:\(Self.hash)\n"))
        #expect(try UsersFile.read(path: path) == users)
    }

    @Test("users written and read back are the same, under a header comment")
    func writeReadRoundTrip() throws {
        let folder = try TemporaryDirectory()
        let source = try folder.write("# mine\nbob:\(Self.hash)\nshop@b.example:\(Self.hash):@b.example\n", to: "in")
        let users = try UsersFile.read(path: source)
        let path = "\(folder.path)/users"
        try UsersFile.write(users, to: path)
        #expect(try UsersFile.read(path: path) == users)
        let text = try String(contentsOfFile: path, encoding: .utf8)
        #expect(text.hasPrefix("# Poshta users, one name:hash[:sender,sender...[:role]] a line"))
        #expect(text.hasSuffix("bob:\(Self.hash)\nshop@b.example:\(Self.hash):@b.example\n"))
    }

    @Test("a written file has mode 0600, also when it replaces a 0644 one, and no temp file is left")
    func writtenMode() throws {
        let folder = try TemporaryDirectory()
        let path = try folder.write("", to: "users")
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        let user = UserRecord(name: "bob", hash: try #require(PasswordHash(encoded: Self.hash)))
        try UsersFile.write([user], to: path)
        #expect(try permissions(path) == 0o600)
        try UsersFile.write([user], to: "\(folder.path)/fresh")
        #expect(try permissions("\(folder.path)/fresh") == 0o600)
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).sorted() == ["fresh", "users"])
    }

    @Test(
        "a bad line fails the read with its line number and never quotes the hash",
        arguments: [
            BadLine("no ':'", "bob\(PasswordHashTests.foreign)", 2, "found no ':'"),
            BadLine("too many ':'", "bob:\(PasswordHashTests.foreign):a@b.example:owner:more", 2, "too many ':'"),
            BadLine("unknown role", "bob:\(PasswordHashTests.foreign):a@b.example:root", 2, "the role of \"bob\" is \"root\"; a role is owner or admin"),
            BadLine("space in name", "bo b:\(PasswordHashTests.foreign)", 2, "invalid user name"),
            BadLine("empty name", ":\(PasswordHashTests.foreign)", 2, "invalid user name"),
            BadLine("weak hash", "bob:$scrypt$ln=4,r=8,p=1$AAECAwQFBgcICQoLDA0ODw$mp90zEQd5XGhjEv4WArVH4Z0XRSzkGWtJK2S/AXJlRU", 2,
             "the hash of \"bob\" is not an scrypt hash"),
            BadLine("other hash", "bob:{SHA}W6ph5Mm5Pz8GgiULbPgzG37mj9g=", 2, "the hash of \"bob\""),
            BadLine("empty sender", "bob:\(PasswordHashTests.foreign):a@b.example,,c@d.example", 2, "sender 2 of \"bob\""),
            BadLine("sender not an address", "bob:\(PasswordHashTests.foreign):not an address", 2, "sender 1 of \"bob\""),
            BadLine("sender '@' alone", "bob:\(PasswordHashTests.foreign):@", 2, "sender 1 of \"bob\""),
        ])
    func badLine(_ bad: BadLine) throws {
        let error = try #require(try failure("# users\n\(bad.line)\nanna:\(Self.hash)\n"))
        #expect(error.line == bad.number)
        #expect(error.reason.contains(bad.reason))
        #expect(error.description.contains("users:\(bad.number): "))
        #expect(!error.description.contains("mp90zEQd5XGh"))
        #expect(!error.description.contains("W6ph5Mm5"))
    }

    @Test("a name listed twice is refused, naming both lines")
    func duplicateName() throws {
        let error = try #require(try failure("bob:\(Self.hash)\n\nbob:\(Self.hash)\n"))
        #expect(error.line == 3)
        #expect(error.reason == "user \"bob\" is listed already on line 1")
    }

    @Test("a line that is not UTF-8 is refused by number")
    func notUTF8() throws {
        let folder = try TemporaryDirectory()
        let path = "\(folder.path)/users"
        try Data("bob:\(Self.hash)\n".utf8 + [0xFF, 0x3A, 0x0A]).write(to: URL(fileURLWithPath: path))
        do {
            _ = try UsersFile.read(path: path)
            Issue.record("read a file that is not UTF-8")
        } catch {
            #expect(error.line == 2)
        }
    }

    @Test("writing refuses users that would not read back")
    func writeRefusesInvalid() throws {
        let folder = try TemporaryDirectory()
        let hash = try #require(PasswordHash(encoded: Self.hash))
        let invalid: [[UserRecord]] = [
            [UserRecord(name: "bad:name", hash: hash)],
            [UserRecord(name: "bob", hash: hash), UserRecord(name: "bob", hash: hash)],
            [UserRecord(name: "bob", hash: hash, senders: ["a,b@c.example"])],
        ]
        for users in invalid {
            #expect(throws: UsersFileError.self) { try UsersFile.write(users, to: "\(folder.path)/users") }
        }
        #expect(!FileManager.default.fileExists(atPath: "\(folder.path)/users"))
    }

    @Test("a folder that does not exist gives an error naming the path")
    func writeIntoMissingFolder() throws {
        let folder = try TemporaryDirectory()
        let hash = try #require(PasswordHash(encoded: Self.hash))
        do {
            try UsersFile.write([UserRecord(name: "bob", hash: hash)], to: "\(folder.path)/no/users")
            Issue.record("wrote into a folder that does not exist")
        } catch {
            #expect(error.description.contains("\(folder.path)/no/users"))
        }
    }
}

/// A line of the users file to refuse, shown in test output by its label only
/// (it holds a hash).
struct BadLine: Sendable, CustomTestStringConvertible {
    var label: String
    var line: String
    var number: Int
    var reason: String
    init(_ label: String, _ line: String, _ number: Int, _ reason: String) {
        self.label = label
        self.line = line
        self.number = number
        self.reason = reason
    }
    var testDescription: String { label }
}
