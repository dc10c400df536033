import NIOCore
import NIOPosix
import NIOSSL

/// Short, Postfix-like sentences for why a connection failed.
enum ConnectFailure {
    static func describe(_ error: any Error) -> String {
        if let error = error as? NIOConnectionError {
            if let first = error.connectionErrors.first { return describe(first.error) }
            if error.dnsAAAAError != nil || error.dnsAError != nil { return "Host not found" }
            return "No address to connect to"
        }
        if let error = error as? IOError {
            switch error.errnoCode {
            case ECONNREFUSED: return "Connection refused"
            case ETIMEDOUT: return "Connection timed out"
            case EHOSTUNREACH: return "No route to host"
            case ENETUNREACH: return "Network is unreachable"
            default: return String(cString: strerror(error.errnoCode))
            }
        }
        if error is ChannelError, case .connectTimeout = error as? ChannelError { return "Connection timed out" }
        return "\(error)"
    }
}

/// TLS failures in words, and the TLS version's name.
enum TLSFailure {
    static func isTLS(_ error: any Error) -> Bool {
        error is NIOSSLError || error is BoringSSLError || error is NIOSSLExtraError
    }

    static func describe(_ error: any Error) -> String {
        if let error = error as? NIOSSLError, case .handshakeFailed(let inner) = error {
            let text = "\(inner)"
            if text.contains("CERTIFICATE_VERIFY_FAILED") { return "server certificate not trusted (\(text))" }
            return "handshake failed (\(text))"
        }
        if let error = error as? NIOSSLExtraError { return "certificate does not match the host name (\(error))" }
        return "\(error)"
    }

    static func name(_ version: TLSVersion) -> String {
        switch version {
        case .tlsv1: "TLSv1"
        case .tlsv11: "TLSv1.1"
        case .tlsv12: "TLSv1.2"
        case .tlsv13: "TLSv1.3"
        }
    }
}
