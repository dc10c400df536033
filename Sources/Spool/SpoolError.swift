#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// A spool operation that failed; the text names the file and the system's reason.
public enum SpoolError: Error, Sendable, CustomStringConvertible {
    /// A system call failed: what was being done, and errno.
    case system(String, Int32)
    /// A file ended before a record it should hold.
    case truncated(String)
    /// The index database failed.
    case index(String)
    /// The spool is closed.
    case closed

    public var description: String {
        switch self {
        case .system(let what, let code): "\(what): \(String(cString: strerror(code)))"
        case .truncated(let path): "\(path) ends before the record it should hold"
        case .index(let why): "spool index: \(why)"
        case .closed: "the spool is closed"
        }
    }
}
