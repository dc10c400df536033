/// The TOML of a daemon run as a child process: one relay listener on a free
/// loopback port, a spool folder the test names, no admin port clash.
public struct DaemonConfiguration: Sendable {
    public var spool: String
    public var listeners: [String] = ["127.0.0.1:0"]
    public var trustedNetworks: [String] = ["127.0.0.0/8", "::1/128"]
    public var suspended = false
    public var shutdownTimeout = 5
    /// More TOML lines put into every `[[listener]]` (e.g. `tls = "starttls"`).
    public var listenerSettings = ""
    /// More TOML lines in `[delivery]` (e.g. `route = "relay"`).
    public var deliverySettings = ""
    /// More TOML appended as is (e.g. a `[limits]` section).
    public var extra = ""

    public init(spool: String) {
        self.spool = spool
    }

    public var text: String {
        var text = """
            [server]
            hostname = "mail.test"
            spool = "\(spool)"
            shutdown_timeout = \(shutdownTimeout)
            log_level = "info"

            """
        let networks = trustedNetworks.map { "\"\($0)\"" }.joined(separator: ", ")
        for address in listeners {
            text += """

                [[listener]]
                address = "\(address)"
                trusted_networks = [\(networks)]
                \(listenerSettings)
                """
        }
        text += """

            [delivery]
            suspended = \(suspended)
            \(deliverySettings)

            [admin]
            address = "127.0.0.1:0"

            """
        return text + extra
    }

    /// Writes the file into `directory` (replacing it) and returns its path.
    @discardableResult
    public func write(in directory: TemporaryDirectory, name: String = "poshta.toml") throws -> String {
        try directory.write(text, to: name)
    }
}
