#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// What identifies one version of a file without reading it: a rename puts
/// a new inode in place, an edit in place changes size or mtime.
struct FileIdentity: Hashable, Sendable {
    var device: UInt64
    var inode: UInt64
    var size: Int64
    var modifiedSeconds: Int64
    var modifiedNanoseconds: Int64
    /// Permission bits, to warn about a users file others can read.
    var mode: UInt32
}

/// The POSIX calls behind the users file, thin so that every durability step
/// is visible (the same shape as the spool's `SpoolFiles`).
enum FileIO {
    /// The users file is small; anything bigger than this is not one.
    static let maximumSize = 16 << 20

    /// The file's identity, or nil when it does not exist (or cannot be seen).
    static func identity(of path: String) -> FileIdentity? {
        var info = stat()
        guard stat(path, &info) == 0 else { return nil }
        #if canImport(Darwin)
        let modified = info.st_mtimespec
        #else
        let modified = info.st_mtim
        #endif
        return FileIdentity(
            device: UInt64(info.st_dev), inode: UInt64(info.st_ino), size: Int64(info.st_size),
            modifiedSeconds: Int64(modified.tv_sec), modifiedNanoseconds: Int64(modified.tv_nsec),
            mode: UInt32(info.st_mode) & 0o7777)
    }

    /// The whole file, or nil when it does not exist.
    static func readFile(_ path: String) throws(UsersFileError) -> [UInt8]? {
        let descriptor = open(path, O_RDONLY | O_CLOEXEC)
        if descriptor < 0 && errno == ENOENT { return nil }
        guard descriptor >= 0 else { throw failure(path, "cannot open", errno) }
        defer { close(descriptor) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 64 << 10)
        while true {
            let count = chunk.withUnsafeMutableBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                return read(descriptor, base, buffer.count)
            }
            if count < 0 && errno == EINTR { continue }
            guard count >= 0 else { throw failure(path, "cannot read", errno) }
            if count == 0 { return bytes }
            bytes.append(contentsOf: chunk[0..<count])
            guard bytes.count <= maximumSize else {
                throw UsersFileError(path: path, reason: "larger than \(maximumSize >> 20) MiB: not a users file")
            }
        }
    }

    /// Replaces the file atomically and durably: a temporary file in the same
    /// folder (mode 0600 whatever the umask), fsync, rename over the old one,
    /// fsync of the folder. A crash leaves the old file or the new one, never
    /// half of either. When the file existed and we may (root), the new one
    /// keeps its owner and group, so that `sudo poshta user add` does not
    /// lock out a daemon running as its own user.
    static func writeAtomically(_ bytes: [UInt8], to path: String) throws(UsersFileError) {
        var generator = SystemRandomNumberGenerator()
        let temporary = "\(path).tmp-\(String(generator.next() as UInt32, radix: 16))"
        let descriptor = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard descriptor >= 0 else { throw failure(temporary, "cannot create", errno) }
        var problem: UsersFileError?
        if fchmod(descriptor, 0o600) != 0 { problem = failure(temporary, "cannot chmod", errno) }
        var previous = stat()
        if problem == nil && stat(path, &previous) == 0 {
            _ = fchown(descriptor, previous.st_uid, previous.st_gid)  // EPERM unless root: keep ours
        }
        var done = 0
        while problem == nil && done < bytes.count {
            let wrote = bytes.withUnsafeBytes { buffer -> Int in
                guard let base = buffer.baseAddress else { return 0 }
                return write(descriptor, base + done, buffer.count - done)
            }
            if wrote < 0 && errno == EINTR { continue }
            guard wrote > 0 else { problem = failure(temporary, "cannot write", errno); break }
            done += wrote
        }
        if problem == nil && fsync(descriptor) != 0 { problem = failure(temporary, "cannot fsync", errno) }
        close(descriptor)
        if problem == nil && rename(temporary, path) != 0 { problem = failure(path, "cannot rename into place", errno) }
        if let problem {
            unlink(temporary)
            throw problem
        }
        try syncDirectory(folder(of: path))
    }

    /// fsync of a folder, so that the rename in it survives a crash.
    static func syncDirectory(_ path: String) throws(UsersFileError) {
        let descriptor = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard descriptor >= 0 else { throw failure(path, "cannot open folder", errno) }
        defer { close(descriptor) }
        guard fsync(descriptor) == 0 else { throw failure(path, "cannot fsync folder", errno) }
    }

    /// `/etc/poshta` for `/etc/poshta/users`, `.` for `users`, `/` for `/users`.
    static func folder(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        let folder = path[..<slash]
        return folder.isEmpty ? "/" : String(folder)
    }

    static func failure(_ path: String, _ what: String, _ code: Int32) -> UsersFileError {
        UsersFileError(path: path, reason: "\(what): \(String(cString: strerror(code)))")
    }
}
