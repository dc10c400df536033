import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The bearer token that guards the admin API, kept in `[admin] token_file`.
///
/// The daemon creates the file (mode 0600, 256 random bits as 64 hex digits)
/// on its first start; the CLI reads it. Whoever can read the file can steer
/// the queue, so it is never created readable by others, and a token file
/// that others can read is reported.
public struct AdminToken: Sendable, Equatable {
    public let value: String

    public init(_ value: String) {
        self.value = value
    }

    /// Reads the token, creating the file with a new one if it does not exist.
    /// `created` tells the caller to log where the new token is.
    public static func loadOrCreate(path: String) throws(AdminTokenError) -> (token: AdminToken, created: Bool) {
        if FileManager.default.fileExists(atPath: path) { return (try read(path: path), false) }
        var generator = SystemRandomNumberGenerator()
        let value = (0..<32).map { _ in String(format: "%02x", UInt8.random(in: 0...255, using: &generator)) }.joined()
        let descriptor = open(path, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else {
            // Another process made it between the two calls: use theirs.
            if errno == EEXIST { return (try read(path: path), false) }
            throw AdminTokenError(path: path, reason: "cannot create it: \(String(cString: strerror(errno)))")
        }
        defer { close(descriptor) }
        let bytes = Array((value + "\n").utf8)
        let written = bytes.withUnsafeBytes { write(descriptor, $0.baseAddress, $0.count) }
        guard written == bytes.count, fsync(descriptor) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(path)
            throw AdminTokenError(path: path, reason: "cannot write it: \(reason)")
        }
        return (AdminToken(value), true)
    }

    /// Reads an existing token file (its first line, trimmed).
    public static func read(path: String) throws(AdminTokenError) -> AdminToken {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path))
        } catch {
            let reason =
                FileManager.default.fileExists(atPath: path)
                ? "cannot read it (permission denied?): run as the user the daemon runs as, or root"
                : "it does not exist: the daemon creates it on its first start"
            throw AdminTokenError(path: path, reason: reason)
        }
        let line = String(decoding: data, as: UTF8.self).split(whereSeparator: \.isNewline).first ?? ""
        let value = line.trimmingCharacters(in: .whitespaces)
        guard value.count >= 16 else {
            throw AdminTokenError(path: path, reason: "the token in it is shorter than 16 characters; delete the file and restart the daemon to make a new one")
        }
        return AdminToken(value)
    }

    /// True when group or others may read the file.
    public static func isExposed(path: String) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0 else { return false }
        return UInt32(info.st_mode) & 0o077 != 0
    }

    /// Compares in time independent of where the first difference is, so
    /// that response times do not leak the token a byte at a time.
    func matches(_ candidate: Substring) -> Bool {
        let expected = Array(value.utf8)
        let given = Array(candidate.utf8)
        var difference = UInt8(expected.count == given.count ? 0 : 1)
        for index in expected.indices {
            difference |= expected[index] ^ (index < given.count ? given[index] : 0)
        }
        return difference == 0
    }
}

/// The token file cannot be used; the text says which file and why.
public struct AdminTokenError: Error, CustomStringConvertible, Sendable {
    public var path: String
    public var reason: String

    public var description: String { "admin token file \(path): \(reason)" }
}
