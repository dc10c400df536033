#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif
public import NIOCore

/// Turns a message into the bytes a client sends after `354`: every line
/// that starts with "." gets one more (RFC 5321 §4.5.2, transparency), the
/// last line ends in CRLF, and `.CRLF` ends the data.
///
/// Messages on the spool have CRLF line endings (the server refuses bare CR
/// and LF), so lines are found by their LF, with `memchr`, and copied whole.
///
/// - SeeAlso: RFC 5321 §4.1.1.4, §4.5.2
public enum MessageDataEncoder {
    /// Writes the dot-stuffed message and the terminating `.CRLF`.
    public static func write(_ message: [UInt8], to buffer: inout ByteBuffer) {
        buffer.reserveCapacity(minimumWritableBytes: message.count + message.count / 64 + 5)
        message.withUnsafeBytes { input in
            guard let base = input.baseAddress else { return }
            var lineStart = 0
            while lineStart < input.count {
                if input[lineStart] == UInt8(ascii: ".") {
                    buffer.writeInteger(UInt8(ascii: "."))
                }
                let found = memchr(base + lineStart, 0x0A, input.count - lineStart)
                let lineEnd = found.map { base.distance(to: UnsafeRawPointer($0)) + 1 } ?? input.count
                buffer.writeBytes(UnsafeRawBufferPointer(rebasing: input[lineStart..<lineEnd]))
                lineStart = lineEnd
            }
        }
        if let last = message.last {
            if last != 0x0A {
                buffer.writeBytes([0x0D, 0x0A])
            } else if message.count < 2 || message[message.count - 2] != 0x0D {
                // A lone LF at the very end: make it CRLF before the dot line.
                buffer.moveWriterIndex(to: buffer.writerIndex - 1)
                buffer.writeBytes([0x0D, 0x0A])
            }
        }
        buffer.writeBytes([UInt8(ascii: "."), 0x0D, 0x0A])
    }
}
