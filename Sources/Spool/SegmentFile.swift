import Dispatch

#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// An open segment file: positioned reads, appends, fdatasync, truncation.
/// Thin over POSIX so that every durability step is visible here.
final class SegmentFile: Sendable {
    let path: String
    let descriptor: Int32

    /// Opens (and with `create`, creates) the file for reading and appending.
    init(path: String, create: Bool) throws(SpoolError) {
        self.path = path
        let flags = O_RDWR | O_CLOEXEC | (create ? O_CREAT | O_EXCL : 0)
        let descriptor = open(path, flags, 0o600)
        guard descriptor >= 0 else { throw SpoolError.system("open \(path)", errno) }
        self.descriptor = descriptor
    }

    deinit { close(descriptor) }

    func size() throws(SpoolError) -> Int {
        var info = stat()
        guard fstat(descriptor, &info) == 0 else { throw SpoolError.system("stat \(path)", errno) }
        return Int(info.st_size)
    }

    func read(at offset: Int, count: Int) throws(SpoolError) -> [UInt8] {
        var bytes = [UInt8](repeating: 0, count: count)
        var done = 0
        while done < count {
            let got = bytes.withUnsafeMutableBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                return pread(descriptor, base + done, count - done, off_t(offset + done))
            }
            if got < 0 && errno == EINTR { continue }
            guard got > 0 else {
                throw got == 0 ? SpoolError.truncated(path) : SpoolError.system("read \(path)", errno)
            }
            done += got
        }
        return bytes
    }

    /// Writes `bytes` at `offset` (the current end).
    func write(_ bytes: [UInt8], at offset: Int) throws(SpoolError) {
        var done = 0
        while done < bytes.count {
            let wrote = bytes.withUnsafeBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                return pwrite(descriptor, base + done, bytes.count - done, off_t(offset + done))
            }
            if wrote < 0 && errno == EINTR { continue }
            guard wrote > 0 else { throw SpoolError.system("write \(path)", errno) }
            done += wrote
        }
    }

    /// Makes written data (and the size needed to read it) durable.
    func sync() throws(SpoolError) {
        while fdatasync(descriptor) != 0 {
            guard errno == EINTR else { throw SpoolError.system("fdatasync \(path)", errno) }
        }
    }

    func truncate(to length: Int) throws(SpoolError) {
        guard ftruncate(descriptor, off_t(length)) == 0 else { throw SpoolError.system("truncate \(path)", errno) }
    }
}

/// Directory and file helpers for the spool's layout.
enum SpoolFiles {
    private static let io = DispatchQueue(label: "poshta.spool.io")

    /// Runs blocking file work (unlink, fsync of a folder) on the spool's own
    /// thread: Swift concurrency may be running on the network event loops.
    static func offEventLoop<T: Sendable>(_ work: @escaping @Sendable () throws -> T) async throws -> T {
        try await withCheckedThrowingContinuation { continuation in
            io.async { continuation.resume(with: Result { try work() }) }
        }
    }

    static func makeDirectory(_ path: String) throws(SpoolError) {
        if mkdir(path, 0o700) != 0 && errno != EEXIST { throw SpoolError.system("mkdir \(path)", errno) }
    }

    /// fsync of a directory, so that a created, renamed or removed entry in it survives a crash.
    static func syncDirectory(_ path: String) throws(SpoolError) {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw SpoolError.system("open \(path)", errno) }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw SpoolError.system("fsync \(path)", errno) }
    }

    static func entries(of path: String) throws(SpoolError) -> [String] {
        guard let directory = opendir(path) else { throw SpoolError.system("opendir \(path)", errno) }
        defer { closedir(directory) }
        var names: [String] = []
        while let entry = readdir(directory) {
            let name = withUnsafeBytes(of: entry.pointee.d_name) { raw in
                String(decoding: raw.prefix(while: { $0 != 0 }), as: UTF8.self)
            }
            if name != "." && name != ".." { names.append(name) }
        }
        return names
    }

    static func remove(_ path: String) throws(SpoolError) {
        guard unlink(path) == 0 || errno == ENOENT else { throw SpoolError.system("unlink \(path)", errno) }
    }

    /// Writes a file atomically and durably: temp file, fsync, rename, fsync of the folder.
    static func writeAtomically(_ bytes: [UInt8], to path: String, temporary: String, syncFolder folder: String?) throws(SpoolError) {
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o640)
        guard descriptor >= 0 else { throw SpoolError.system("open \(temporary)", errno) }
        var failure: SpoolError?
        var done = 0
        while done < bytes.count {
            let wrote = bytes.withUnsafeBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                return write(descriptor, base + done, bytes.count - done)
            }
            if wrote < 0 && errno == EINTR { continue }
            guard wrote > 0 else { failure = SpoolError.system("write \(temporary)", errno); break }
            done += wrote
        }
        if failure == nil && fsync(descriptor) != 0 { failure = SpoolError.system("fsync \(temporary)", errno) }
        close(descriptor)
        if failure == nil && rename(temporary, path) != 0 { failure = SpoolError.system("rename \(temporary)", errno) }
        if let failure {
            unlink(temporary)
            throw failure
        }
        if let folder { try syncDirectory(folder) }
    }
}
