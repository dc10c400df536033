import Accounts
import Foundation
import Synchronization

/// The console's signed-in sessions, in memory: a random session id (the
/// cookie) → who signed in, their CSRF token and language. A restart signs
/// everyone out, which is what a sysadmin expects of a restart.
///
/// A session ends after `idleLimit` without a request, or `absoluteLimit`
/// after sign-in, whichever is first; the table holds at most `capacity`
/// sessions, the least recently used going first.
final class ConsoleSessions: Sendable {
    /// One signed-in user.
    struct Session: Sendable {
        var user: String
        var role: UserRecord.Role
        /// The user's password hash at sign-in: a new password ends the session.
        var credential: String
        /// Sent in every form and checked on every POST: a page of another
        /// site cannot read it, so it cannot forge the form.
        var csrfToken: String
        var locale: String
        var created: ContinuousClock.Instant
        var lastUsed: ContinuousClock.Instant
    }

    static let idleLimit: Duration = .seconds(2 * 3600)
    static let absoluteLimit: Duration = .seconds(12 * 3600)
    static let capacity = 10_000

    private let table = Mutex<[String: Session]>([:])

    /// Starts a session; returns its id, the cookie's value.
    func start(user: UserRecord, locale: String) -> String? {
        guard let role = user.role else { return nil }
        let id = Self.randomToken()
        let now = ContinuousClock.now
        let session = Session(
            user: user.name, role: role, credential: user.hash.encoded, csrfToken: Self.randomToken(), locale: locale,
            created: now, lastUsed: now)
        table.withLock { table in
            if table.count >= Self.capacity, let oldest = table.min(by: { $0.value.lastUsed < $1.value.lastUsed }) {
                table[oldest.key] = nil
            }
            table[id] = session
        }
        return id
    }

    /// The session of this id when it is still good, its use recorded; nil otherwise.
    func session(_ id: String) -> Session? {
        let now = ContinuousClock.now
        return table.withLock { table in
            guard var session = table[id] else { return nil }
            guard now - session.lastUsed < Self.idleLimit, now - session.created < Self.absoluteLimit else {
                table[id] = nil
                return nil
            }
            session.lastUsed = now
            table[id] = session
            return session
        }
    }

    func setLocale(_ locale: String, for id: String) {
        table.withLock { $0[id]?.locale = locale }
    }

    func end(_ id: String) {
        table.withLock { $0[id] = nil }
    }

    /// 32 random bytes as base64url: unguessable, and safe in a cookie and a form.
    static func randomToken() -> String {
        var generator = SystemRandomNumberGenerator()
        let bytes = (0..<32).map { _ in UInt8.random(in: .min ... .max, using: &generator) }
        return Data(bytes).base64EncodedString().replacingOccurrences(of: "+", with: "-")
            .replacingOccurrences(of: "/", with: "_").replacingOccurrences(of: "=", with: "")
    }

    /// Compares two tokens in time independent of where they differ.
    static func sameToken(_ a: String, _ b: String) -> Bool {
        PasswordHash.constantTimeEquals(Array(a.utf8), Array(b.utf8))
    }
}
