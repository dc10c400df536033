public import Accounts
import Foundation
import HTTPTypes
public import HTTPListener
public import Hummingbird
public import Logging
import NIOCore
public import ShopMail
public import ShopStore
public import Spool

/// The web console on the admin address: the shop owner's pages
/// (notifications, automations, templates, coupons, catalog) and the
/// sysadmin's queue, server-rendered, behind a sign-in with the users
/// file's console users. Every page is an HTML form; every POST carries the
/// session's CSRF token; failed sign-ins go through the SMTP AUTH throttle.
public struct Console: Sendable {
    /// What the console needs from the daemon.
    public struct Settings: Sendable {
        public var users: UserDatabase
        /// The same throttle as SMTP AUTH: a password guessed on the web counts as one guessed over SMTP.
        public var throttle: AuthThrottle
        /// Mark the cookies Secure: the console is served over TLS.
        public var secureCookies: Bool
        /// The console's language before a user chooses one (`[shop] default_locale`).
        public var defaultLocale: String
        public var shopName: String

        public init(users: UserDatabase, throttle: AuthThrottle, secureCookies: Bool, defaultLocale: String, shopName: String) {
            self.users = users
            self.throttle = throttle
            self.secureCookies = secureCookies
            self.defaultLocale = defaultLocale
            self.shopName = shopName
        }
    }

    let settings: Settings
    let spool: Spool
    let store: (any ShopStore)?
    let submission: ShopSubmission?
    let logger: Logger
    let sessions = ConsoleSessions()
    let view: ConsoleView

    static let sessionCookie = "poshta_session"
    /// The sign-in form's CSRF token, before there is a session (double-submit cookie).
    static let signInCookie = "poshta_signin"
    /// The largest form accepted: a chunk of a CSV import with room to spare.
    static let maximumForm = 4 << 20

    public init(settings: Settings, spool: Spool, store: (any ShopStore)?, submission: ShopSubmission?, logger: Logger) throws {
        self.settings = settings
        self.spool = spool
        self.store = store
        self.submission = submission
        self.logger = logger
        view = try ConsoleView()
    }

    public func register(on router: Router<PoshtaRequestContext>) {
        router.get("/static/console.css") { _, _ in Self.asset(ConsoleAssets.stylesheet, type: "text/css; charset=utf-8") }
        router.get("/static/console.js") { _, _ in Self.asset(ConsoleAssets.script, type: "text/javascript; charset=utf-8") }
        router.get("/") { request, context in
            try await gate(request, context, method: .get) { call in
                .redirect(to: call.session.role == .admin && submission == nil ? "/queue" : "/notifications")
            }
        }
        SignInPages(console: self).register(on: router)
        NotificationPages(console: self).register(on: router)
        AutomationPages(console: self).register(on: router)
        TemplatePages(console: self).register(on: router)
        CouponPages(console: self).register(on: router)
        CatalogPages(console: self).register(on: router)
        QueuePages(console: self).register(on: router)
    }

    // MARK: - Routes behind the sign-in

    /// Registers a page (GET) behind the sign-in.
    func get(
        _ path: RouterPath, on router: Router<PoshtaRequestContext>, role: UserRecord.Role = .owner,
        _ handler: @escaping @Sendable (ConsoleCall) async throws -> Response
    ) {
        router.get(path) { request, context in try await gate(request, context, method: .get, role: role, handler) }
    }

    /// Registers a form action (POST) behind the sign-in and the CSRF check.
    func post(
        _ path: RouterPath, on router: Router<PoshtaRequestContext>, role: UserRecord.Role = .owner,
        _ handler: @escaping @Sendable (ConsoleCall) async throws -> Response
    ) {
        router.post(path) { request, context in try await gate(request, context, method: .post, role: role, handler) }
    }

    /// The checks every console request passes: a live session, a user
    /// still in the users file with a role that may see the page, and for
    /// a POST the session's CSRF token in the form (or X-CSRF-Token).
    func gate(
        _ request: Request, _ context: PoshtaRequestContext, method: HTTPRequest.Method, role: UserRecord.Role = .owner,
        _ handler: @escaping @Sendable (ConsoleCall) async throws -> Response
    ) async throws -> Response {
        guard let id = request.cookies[Self.sessionCookie]?.value, var session = sessions.session(id) else {
            return method == .get ? .redirect(to: "/login") : refusedForm(request, context, locale: nil)
        }
        // The users file is the authority: a user removed, demoted or given a
        // new password there loses the console now.
        guard let user = settings.users.consoleUser(session.user), let current = user.role,
            user.hash.encoded == session.credential
        else {
            sessions.end(id)
            return .redirect(to: "/login")
        }
        session.role = current
        var form = ConsoleForm("")
        if method == .post {
            var request = request
            let body = try await request.collectBody(upTo: Self.maximumForm)
            form = ConsoleForm(String(buffer: body))
            let token = form["csrf"] ?? request.headers[HTTPField.Name("X-CSRF-Token")!] ?? ""
            guard ConsoleSessions.sameToken(token, session.csrfToken) else {
                return refusedForm(request, context, locale: session.locale)
            }
        }
        let call = ConsoleCall(
            request: request, context: context, session: session, sessionID: id, form: form, console: self)
        if role == .admin && current != .admin {
            return call.page(
                "message", title: call.t("nav_queue"),
                values: ["message": call.t("admin_only")],
                status: HTTPResponse.Status.forbidden)
        }
        return try await handler(call)
    }

    /// A POST without the right CSRF token (or session): refused with 403 and logged, nothing done.
    func refusedForm(_ request: Request, _ context: PoshtaRequestContext, locale: String?) -> Response {
        logger.warning("console: refused \(request.method) \(request.uri.path) from \(context.clientAddress): no valid CSRF token or session")
        let locale = locale ?? settings.defaultLocale
        let strings = ConsoleStrings.table(ConsoleStrings.supported(locale))
        let frame = ConsoleFrame(
            locale: ConsoleStrings.supported(locale), strings: strings, shopName: settings.shopName, user: nil, isAdmin: false,
            csrfToken: "", currentPath: request.uri.path, error: strings["form_expired"])
        return view.page("message", title: strings["sign_in_title"] ?? "", values: [:], frame: frame, status: .forbidden)
    }

    /// A `Set-Cookie` value with the console's attributes: HttpOnly, SameSite=Strict, Secure over TLS.
    func cookie(_ name: String, _ value: String, maxAge: Int? = nil) -> String {
        var text = "\(name)=\(value); Path=/; HttpOnly; SameSite=Strict"
        if let maxAge { text += "; Max-Age=\(maxAge)" }
        if settings.secureCookies { text += "; Secure" }
        return text
    }

    static func asset(_ text: String, type: String) -> Response {
        var headers = HTTPFields()
        headers[.contentType] = type
        headers[.cacheControl] = "max-age=3600"
        headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        return Response(status: .ok, headers: headers, body: .init(byteBuffer: ByteBuffer(string: text)))
    }
}

/// One request that passed the console's gate: the session, the form, and
/// the page helpers in the user's language.
struct ConsoleCall: Sendable {
    var request: Request
    var context: PoshtaRequestContext
    var session: ConsoleSessions.Session
    var sessionID: String
    var form: ConsoleForm
    var console: Console

    var strings: [String: String] { ConsoleStrings.table(session.locale) }

    func t(_ key: String) -> String { strings[key] ?? key }

    /// The query as a GET form sends it (`+` for a space, as in a form body).
    var query: [String: String] {
        ConsoleForm(request.uri.query ?? "").values.compactMapValues(\.first)
    }

    /// A page in the frame; a notice named by `?notice=KEY` (after a redirect) is shown.
    func page(
        _ name: String, title: String, values: [String: Any], error: String? = nil, status: HTTPResponse.Status = .ok
    ) -> Response {
        var notice = query["notice"].flatMap { strings[$0] }
        if let count = query["n"].flatMap(Int.init) { notice = notice?.replacingOccurrences(of: "%d", with: String(count)) }
        let frame = ConsoleFrame(
            locale: session.locale, strings: strings, shopName: console.settings.shopName, user: session.user,
            isAdmin: session.role == .admin, csrfToken: session.csrfToken, currentPath: request.uri.path,
            notice: error == nil ? notice : nil, error: error)
        return console.view.page(name, title: title, values: values, frame: frame, status: status)
    }

    /// After a successful action: back to a page, which shows the notice (Post/Redirect/Get).
    func done(_ path: String, notice: String, count: Int? = nil) -> Response {
        var target = "\(path)\(path.contains("?") ? "&" : "?")notice=\(notice)"
        if let count { target += "&n=\(count)" }
        return .redirect(to: target)
    }

    /// Text made safe as one segment of a path (`/catalog/SKU`).
    static func pathSegment(_ text: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: "/;?#%")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }

    /// Text made safe as a query value (`?domain=…`), as a form would send it.
    static func queryValue(_ text: String) -> String {
        var allowed = CharacterSet.alphanumerics
        allowed.insert(charactersIn: "-._~@")
        return text.addingPercentEncoding(withAllowedCharacters: allowed) ?? ""
    }

    /// A JSON answer for the page's script (previews, CSV chunks).
    func json(_ object: [String: Any], status: HTTPResponse.Status = .ok) -> Response {
        let data = (try? JSONSerialization.data(withJSONObject: object, options: [.sortedKeys])) ?? Data("{}".utf8)
        return Response(
            status: status, headers: ConsoleView.securityHeaders(contentType: "application/json; charset=utf-8"),
            body: .init(byteBuffer: ByteBuffer(bytes: data)))
    }
}
