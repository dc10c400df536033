/// The unsubscribe side of `[marketing]`: where the one-click page listens,
/// the public URL that leads there, the mailbox that takes unsubscribe
/// mail, and the secret the links are signed with.
///
/// ```toml
/// [marketing]
/// unsubscribe_address = "127.0.0.1:8026"                 # default: no page served
/// unsubscribe_url = "https://shop.example/unsubscribe"    # the shop's web server forwards it to the address
/// unsubscribe_mailbox = "unsubscribe@mail.shop.example"   # default: "unsubscribe@" + [server] hostname
/// secret_file = "unsubscribe.key"                         # made on the first start, mode 0600
/// ```
public struct UnsubscribeSection: Sendable, Equatable {
    /// Host and port of the page's listener; nil when none is served.
    public var host: String?
    public var port: Int?
    /// The public base of the links; the token follows a slash.
    public var url: String
    /// Mail to `local+TOKEN@domain` of this mailbox unsubscribes the token's address.
    public var mailbox: String
    /// The secret of the links, absolute.
    public var secretFile: String

    static let keys = ["unsubscribe_address", "unsubscribe_url", "unsubscribe_mailbox", "secret_file"]

    init(reading reader: TOMLTableReader, shop: ShopSection, hostname: String) throws(ConfigurationError) {
        if let address = try reader.string("unsubscribe_address") {
            guard let parsed = ConfigurationSyntax.hostAndPort(address, ports: 0...65535) else {
                throw reader.error(
                    "unsubscribe_address", "\"\(address)\" is not a valid address; expected IP:port, e.g. 127.0.0.1:8026")
            }
            host = parsed.host
            port = parsed.port
        }
        url = try reader.nonEmptyString("unsubscribe_url", default: "\(shop.url)/unsubscribe")
        guard url.hasPrefix("https://") || url.hasPrefix("http://") else {
            throw reader.error("unsubscribe_url", "\"\(url)\" is not an http(s) URL; the links in the mails lead there")
        }
        mailbox = try reader.nonEmptyString("unsubscribe_mailbox", default: "unsubscribe@\(hostname)")
        guard ShopSection.isAddress(mailbox), !mailbox.contains("+") else {
            throw reader.error("unsubscribe_mailbox", "\"\(mailbox)\" is not an address like unsubscribe@shop.example (without +)")
        }
        secretFile = try reader.path("secret_file", default: "unsubscribe.key")
    }
}
