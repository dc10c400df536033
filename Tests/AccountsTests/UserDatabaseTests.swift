import Foundation
import PoshtaTestSupport
import Testing

@testable import Accounts

/// The users as the server sees them: password checks, re-reading the file,
/// which senders a user may use.
@Suite("User database")
struct UserDatabaseTests {
    private func user(_ name: String, _ password: String, senders: [String] = []) throws -> UserRecord {
        UserRecord(name: name, hash: try PasswordHash.make(password: password, cost: .fastForTests), senders: senders)
    }

    @Test("the right password verifies, a wrong one and an unknown user do not")
    func verify() async throws {
        let folder = try TemporaryDirectory()
        let path = "\(folder.path)/users"
        try UsersFile.write([try user("bob", "bob's password"), try user("anna", "anna's password")], to: path)
        let database = UserDatabase(path: path, logger: LogCapture().logger())
        #expect(await database.verify(name: "bob", password: "bob's password"))
        #expect(await database.verify(name: "anna", password: "anna's password"))
        #expect(!(await database.verify(name: "bob", password: "anna's password")))
        #expect(!(await database.verify(name: "bob", password: "")))
        #expect(!(await database.verify(name: "carol", password: "bob's password")))
        #expect(!(await database.verify(name: "BOB", password: "bob's password")))
        #expect(database.userNames() == ["bob", "anna"])
    }

    @Test("the console lets in only users with a role and the right password, and answers with the role")
    func consoleSignIn() async throws {
        let folder = try TemporaryDirectory()
        let path = "\(folder.path)/users"
        var maria = try user("maria", "tea")
        maria.role = .owner
        var ivan = try user("ivan", "root beer")
        ivan.role = .admin
        try UsersFile.write([maria, ivan, try user("shop", "smtp only")], to: path)
        let database = UserDatabase(path: path, logger: LogCapture().logger())
        #expect(await database.verifyConsole(name: "maria", password: "tea")?.role == .owner)
        #expect(await database.verifyConsole(name: "ivan", password: "root beer")?.role == .admin)
        #expect(await database.verifyConsole(name: "maria", password: "coffee") == nil)
        #expect(await database.verifyConsole(name: "shop", password: "smtp only") == nil)
        #expect(await database.verifyConsole(name: "nobody", password: "tea") == nil)
        #expect(database.consoleUser("ivan")?.role == .admin && database.consoleUser("shop") == nil)
        // A submission user with a role still authenticates over SMTP.
        #expect(await database.verify(name: "maria", password: "tea"))
    }

    @Test("many verifications at once all get their answer")
    func concurrentVerifications() async throws {
        let folder = try TemporaryDirectory()
        let path = "\(folder.path)/users"
        try UsersFile.write([try user("bob", "right")], to: path)
        let database = UserDatabase(path: path, logger: LogCapture().logger())
        let results = await withTaskGroup(of: Bool.self) { group in
            for index in 0..<20 {
                group.addTask { await database.verify(name: "bob", password: index.isMultiple(of: 2) ? "right" : "wrong") }
            }
            return await group.reduce(into: [Bool]()) { $0.append($1) }
        }
        #expect(results.filter { $0 }.count == 10)
    }

    @Test("a changed file is picked up at the next check, not before")
    func rereadsAfterChange() async throws {
        let folder = try TemporaryDirectory()
        let path = "\(folder.path)/users"
        try UsersFile.write([try user("bob", "old")], to: path)
        let clock = ManualClock()
        let database = UserDatabase(path: path, logger: LogCapture().logger(), checkInterval: .seconds(1), now: clock.reading)
        #expect(await database.verify(name: "bob", password: "old"))

        try UsersFile.write([try user("bob", "new"), try user("carol", "carol's")], to: path)
        clock.advance(by: .milliseconds(500))
        #expect(await database.verify(name: "bob", password: "old"), "checked at most once a second")
        #expect(!(await database.verify(name: "carol", password: "carol's")))

        clock.advance(by: .milliseconds(600))
        #expect(await database.verify(name: "carol", password: "carol's"))
        #expect(await database.verify(name: "bob", password: "new"))
        #expect(!(await database.verify(name: "bob", password: "old")))
        #expect(database.userNames() == ["bob", "carol"])
    }

    @Test("an edit in place (same inode) is picked up too")
    func rereadsInPlaceEdit() async throws {
        let folder = try TemporaryDirectory()
        let first = try user("bob", "bob's")
        let second = try user("anna", "anna's")
        let path = try folder.write("bob:\(first.hash.encoded)\n", to: "users")
        let clock = ManualClock()
        let database = UserDatabase(path: path, logger: LogCapture().logger(), checkInterval: .seconds(1), now: clock.reading)
        #expect(database.userNames() == ["bob"])
        let handle = try #require(FileHandle(forWritingAtPath: path))
        handle.seekToEndOfFile()
        handle.write(Data("anna:\(second.hash.encoded)\n".utf8))
        try handle.close()
        clock.advance(by: .seconds(2))
        #expect(await database.verify(name: "anna", password: "anna's"))
    }

    @Test("a file that turns bad keeps the users read before, and says so once in the log without the hash")
    func badFileKeepsLastGood() async throws {
        let folder = try TemporaryDirectory()
        let path = "\(folder.path)/users"
        let bob = try user("bob", "bob's")
        try UsersFile.write([bob], to: path)
        let clock = ManualClock()
        let log = LogCapture()
        let database = UserDatabase(path: path, logger: log.logger(), checkInterval: .seconds(1), now: clock.reading)

        try folder.write("bob:\(bob.hash.encoded)\nbroken line\n", to: "users")
        clock.advance(by: .seconds(2))
        #expect(await database.verify(name: "bob", password: "bob's"))
        clock.advance(by: .seconds(2))
        #expect(database.userNames() == ["bob"])

        let errors = log.matching("not reloaded")
        #expect(errors.count == 1)
        #expect(errors.first?.contains("users:2:") == true)
        let secret = String(bob.hash.encoded.split(separator: "$").last ?? "")
        #expect(!log.all.contains { $0.contains(secret) })
    }

    @Test("a removed file means no users")
    func removedFile() async throws {
        let folder = try TemporaryDirectory()
        let path = "\(folder.path)/users"
        try UsersFile.write([try user("bob", "bob's")], to: path)
        let clock = ManualClock()
        let database = UserDatabase(path: path, logger: LogCapture().logger(), checkInterval: .seconds(1), now: clock.reading)
        try FileManager.default.removeItem(atPath: path)
        clock.advance(by: .seconds(2))
        #expect(!(await database.verify(name: "bob", password: "bob's")))
        #expect(database.userNames().isEmpty)
    }

    @Test("no file at start means no users, and no error")
    func noFileAtStart() async throws {
        let folder = try TemporaryDirectory()
        let log = LogCapture()
        let database = UserDatabase(path: "\(folder.path)/users", logger: log.logger())
        #expect(database.userNames().isEmpty)
        #expect(!(await database.verify(name: "bob", password: "x")))
        #expect(log.matching("error").isEmpty)
    }

    @Test("a users file others can read is warned about")
    func warnsAboutMode() throws {
        let folder = try TemporaryDirectory()
        let path = "\(folder.path)/users"
        try UsersFile.write([try user("bob", "bob's")], to: path)
        try FileManager.default.setAttributes([.posixPermissions: 0o644], ofItemAtPath: path)
        let log = LogCapture()
        _ = UserDatabase(path: path, logger: log.logger())
        #expect(log.matching("readable by others").count == 1)
    }

    // MARK: - Senders

    @Test("senders: own address, listed addresses, listed domains; domains ignore case, local parts do not")
    func mayUse() throws {
        let folder = try TemporaryDirectory()
        let path = "\(folder.path)/users"
        try UsersFile.write(
            [
                try user("shop@b.example", "x", senders: ["sales@c.example", "@news.b.example"]),
                try user("thunderbird-anna", "y", senders: ["anna@b.example"]),
                try user("cron", "z"),
            ], to: path)
        let database = UserDatabase(path: path, logger: LogCapture().logger())

        #expect(database.mayUse(sender: "shop@b.example", user: "shop@b.example"))
        #expect(database.mayUse(sender: "shop@B.Example", user: "shop@b.example"))
        #expect(!database.mayUse(sender: "Shop@b.example", user: "shop@b.example"))
        #expect(database.mayUse(sender: "sales@c.example", user: "shop@b.example"))
        #expect(database.mayUse(sender: "anyone@news.b.example", user: "shop@b.example"))
        #expect(database.mayUse(sender: "anyone@NEWS.b.example", user: "shop@b.example"))
        #expect(!database.mayUse(sender: "anyone@b.example", user: "shop@b.example"))
        #expect(!database.mayUse(sender: "x@sub.news.b.example", user: "shop@b.example"), "subdomains are not included")
        #expect(!database.mayUse(sender: "info@c.example", user: "shop@b.example"))
        #expect(!database.mayUse(sender: "shop@b.example.evil.example", user: "shop@b.example"))
        #expect(!database.mayUse(sender: "shop@b.exampl\u{212A}", user: "shop@b.example"), "no Unicode case folding")

        #expect(database.mayUse(sender: "anna@b.example", user: "thunderbird-anna"))
        #expect(!database.mayUse(sender: "thunderbird-anna", user: "thunderbird-anna"))
        #expect(!database.mayUse(sender: "cron@b.example", user: "cron"))

        #expect(database.mayUse(sender: "", user: "cron"), "the null sender is always allowed")
        #expect(database.mayUse(sender: "", user: "nobody"))
        #expect(!database.mayUse(sender: "shop@b.example", user: "nobody"))
        #expect(!database.mayUse(sender: "shop@b.example", user: "thunderbird-anna"))
        #expect(!database.mayUse(sender: "@b.example", user: "shop@b.example"), "a sender needs a local part")
    }
}
