/// Why `poshta sendmail` did not send: one line for standard error and the
/// exit status a calling program (PHP's `mail()`, cron) can act on.
///
/// The statuses are sendmail's, from `<sysexits.h>`: programs that shell
/// out to sendmail retry on 75 and give up on the others.
public struct SendmailError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The `<sysexits.h>` codes `poshta sendmail` exits with.
    public enum Status: Int32, Sendable {
        /// EX_USAGE: the command line is wrong, or names no recipient.
        case usage = 64
        /// EX_DATAERR: the message on standard input cannot be used.
        case dataError = 65
        /// EX_NOUSER: an address is malformed or the server refused it (5.1.x).
        case noUser = 67
        /// EX_UNAVAILABLE: the server refused the message for good (other 5xx).
        case unavailable = 69
        /// EX_IOERR: standard input could not be read.
        case ioError = 74
        /// EX_TEMPFAIL: no connection, or a 4xx; trying again later may work.
        case temporaryFailure = 75
        /// EX_CONFIG: the configuration file cannot be used.
        case configuration = 78
    }

    public var status: Status
    /// What went wrong, without the `poshta sendmail:` prefix.
    public var message: String

    public init(_ status: Status, _ message: String) {
        self.status = status
        self.message = message
    }

    public var description: String { "poshta sendmail: \(message)" }
}
