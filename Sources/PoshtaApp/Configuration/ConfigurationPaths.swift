#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// File-system helpers for the configuration: absolute paths, reading the file, the host name.
enum ConfigurationPaths {
    /// `path` made absolute against `base` (unless it already is), with `.`, `..` and `//` removed.
    static func absolute(_ path: String, relativeTo base: String) -> String {
        let joined = path.hasPrefix("/") ? path : base + "/" + path
        return normalize(joined)
    }

    /// Removes `.`, `..` and empty components from an absolute path.
    static func normalize(_ path: String) -> String {
        var components: [Substring] = []
        for component in path.split(separator: "/", omittingEmptySubsequences: true) {
            switch component {
            case ".":
                continue
            case "..":
                if !components.isEmpty { components.removeLast() }
            default:
                components.append(component)
            }
        }
        return "/" + components.joined(separator: "/")
    }

    /// The folder holding an absolute, normalized path.
    static func parent(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/"), slash != path.startIndex else { return "/" }
        return String(path[..<slash])
    }

    static func currentDirectory() -> String {
        var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
        let result: String? = buffer.withUnsafeMutableBufferPointer { pointer in
            guard let base = pointer.baseAddress, getcwd(base, pointer.count) != nil else { return nil }
            return String(cString: base)
        }
        return result ?? "/"
    }

    /// The machine's host name, or nil when it cannot be read.
    static func hostName() -> String? {
        var buffer = [CChar](repeating: 0, count: 256)
        let result: String? = buffer.withUnsafeMutableBufferPointer { pointer in
            guard let base = pointer.baseAddress, gethostname(base, pointer.count - 1) == 0 else { return nil }
            return String(cString: base)
        }
        guard let result, !result.isEmpty else { return nil }
        return result
    }

    enum ReadError: Error {
        case system(String)
        case notUTF8
    }

    /// The whole file as UTF-8 text.
    static func readText(_ path: String) throws(ReadError) -> String {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        guard descriptor >= 0 else { throw .system(systemError()) }
        defer { close(descriptor) }

        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { read(descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw .system(systemError())
            }
            if count == 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        guard let text = String(validating: bytes, as: UTF8.self) else { throw .notUTF8 }
        return text
    }

    private static func systemError() -> String {
        String(cString: strerror(errno))
    }
}
