import Accounts
import Foundation
import HTTPTypes
import HTTPListener
import Hummingbird

/// Sign-in, sign-out and the language menu.
///
/// The sign-in form is protected against forgery before any session exists
/// by a double-submit token: a random cookie (SameSite=Strict) that the
/// form must repeat. A wrong password costs the throttle's delay, and the
/// throttle's block refuses the address for its cool-down, as SMTP AUTH does.
struct SignInPages {
    let console: Console

    static let pages = [ConsolePage(name: "login", template: login)]

    static let login = """
        <div class="login">
        <h1>{{t.sign_in_title}}</h1>
        <p class="lead">{{t.sign_in_lead}}</p>
        <form method="post" action="/login" id="login-form">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <div class="field"><label for="name">{{t.user_name}}</label>
        <input type="text" id="name" name="name" value="{{name}}" autocomplete="username" autocapitalize="none" required></div>
        <div class="field"><label for="password">{{t.password}}</label>
        <input type="password" id="password" name="password" autocomplete="current-password" required></div>
        <div class="actions"><button type="submit" class="primary" id="sign-in">{{t.sign_in}}</button></div>
        </form>
        </div>
        """

    func register(on router: Router<PoshtaRequestContext>) {
        router.get("/login") { request, _ in
            loginPage(request, name: "", error: nil, status: .ok)
        }
        router.post("/login") { request, context in
            var request = request
            let form = ConsoleForm(String(buffer: try await request.collectBody(upTo: 64 << 10)))
            // Counted as SMTP AUTH counts: the IPv4 address, or the IPv6 /64.
            let address = ThrottleKey.key(for: context.remoteAddress)
            let expected = request.cookies[Console.signInCookie]?.value ?? ""
            guard !expected.isEmpty, ConsoleSessions.sameToken(form["csrf"] ?? "", expected) else {
                return console.refusedForm(request, context, locale: nil)
            }
            let strings = ConsoleStrings.table(ConsoleStrings.supported(console.settings.defaultLocale))
            let name = form["name"] ?? ""
            if console.settings.throttle.isBlocked(address: address) {
                console.logger.warning("console: sign-in from \(address) refused: address blocked after failed sign-ins")
                return loginPage(request, name: name, error: strings["throttled"], status: .tooManyRequests)
            }
            guard UserRecord.isValidName(name),
                let user = await console.settings.users.verifyConsole(name: name, password: form["password"] ?? ""),
                let role = user.role
            else {
                switch console.settings.throttle.recordFailure(address: address) {
                case .retry(let delay):
                    console.logger.warning("console: failed sign-in as \"\(UserRecord.isValidName(name) ? name : "?")\" from \(address)")
                    try await Task.sleep(for: delay)
                    return loginPage(request, name: name, error: strings["wrong_password"], status: .unauthorized)
                case .disconnect:
                    console.logger.warning("console: failed sign-in from \(address); address blocked for \(console.settings.throttle.policy.coolDown)")
                    return loginPage(request, name: name, error: strings["throttled"], status: .tooManyRequests)
                }
            }
            // No recordSuccess: one good sign-in must not wipe the failures
            // counted against this address (someone with one password could
            // otherwise guess another's between their own sign-ins); they
            // expire with the throttle's window.
            let locale = await savedLocale(of: name)
            guard let id = console.sessions.start(user: user, locale: locale) else { return .redirect(to: "/login") }
            console.logger.notice("console: \(name) (\(role.rawValue)) signed in from \(address)")
            var response = Response.redirect(to: "/")
            response.headers.append(HTTPField(name: .setCookie, value: console.cookie(Console.sessionCookie, id)))
            response.headers.append(HTTPField(name: .setCookie, value: console.cookie(Console.signInCookie, "", maxAge: 0)))
            return response
        }
        console.post("/logout", on: router) { call in
            console.sessions.end(call.sessionID)
            console.logger.notice("console: \(call.session.user) signed out")
            var response = Response.redirect(to: "/login")
            response.headers.append(HTTPField(name: .setCookie, value: console.cookie(Console.sessionCookie, "", maxAge: 0)))
            return response
        }
        console.post("/language", on: router) { call in
            let locale = ConsoleStrings.supported(call.form["locale"])
            console.sessions.setLocale(locale, for: call.sessionID)
            try await console.store?.saveOwnerSetting(
                Self.localeSetting(call.session.user), json: "\"\(locale)\"", now: Date.now.timeIntervalSince1970)
            // Back to the page the menu was on: a path of this console, nothing else.
            let back = call.form["back"] ?? "/"
            let plain = back.hasPrefix("/") && !back.hasPrefix("//")
                && back.unicodeScalars.allSatisfy { $0.isASCII && (CharacterSet.alphanumerics.contains($0) || "/-_.".unicodeScalars.contains($0)) }
            return .redirect(to: plain ? back : "/")
        }
    }

    /// The store's name of a user's console language.
    static func localeSetting(_ user: String) -> String { "console.locale.\(user)" }

    /// The language the user chose last time, else `[shop] default_locale`.
    private func savedLocale(of user: String) async -> String {
        let saved = try? await console.store?.ownerSetting(Self.localeSetting(user))
        let code = saved.flatMap { $0 }.map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\"")) }
        return ConsoleStrings.supported(code ?? console.settings.defaultLocale)
    }

    /// The sign-in form with a fresh double-submit token.
    private func loginPage(_ request: Request, name: String, error: String?, status: HTTPResponse.Status) -> Response {
        let locale = ConsoleStrings.supported(console.settings.defaultLocale)
        let strings = ConsoleStrings.table(locale)
        let token = ConsoleSessions.randomToken()
        let frame = ConsoleFrame(
            locale: locale, strings: strings, shopName: console.settings.shopName, user: nil, isAdmin: false,
            csrfToken: token, currentPath: "/login", error: error)
        var response = console.view.page(
            "login", title: strings["sign_in_title"] ?? "", values: ["name": name], frame: frame, status: status)
        response.headers.append(HTTPField(name: .setCookie, value: console.cookie(Console.signInCookie, token)))
        return response
    }
}
