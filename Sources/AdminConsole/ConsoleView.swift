import Foundation
import HTTPTypes
import Hummingbird
import Mustache
import NIOCore

/// Renders the console's pages: each page's Mustache template inside the
/// common frame (header, navigation, language menu, messages), as an HTML
/// response with the headers every page gets.
struct ConsoleView: Sendable {
    private let library: MustacheLibrary

    init() throws {
        var library = MustacheLibrary()
        try library.register(Self.layout, named: "layout")
        for page in ConsolePages.all {
            try library.register(page.template, named: page.name)
        }
        self.library = library
    }

    /// One page: `name`'s template rendered with `values`, inside the frame.
    func page(
        _ name: String, title: String, values: [String: Any], frame: ConsoleFrame, status: HTTPResponse.Status = .ok
    ) -> Response {
        var values = values
        values["t"] = frame.strings
        values["csrf"] = frame.csrfToken
        let body = library.render(values, withTemplate: name) ?? ""
        var layout = frame.values
        layout["title"] = title
        layout["body"] = body
        return Self.html(library.render(layout, withTemplate: "layout") ?? "", status: status)
    }

    /// An HTML response with the console's security headers: no caching of
    /// pages with private data, no framing by other sites, nothing loaded
    /// from elsewhere but the images of previewed mails.
    static func html(_ text: String, status: HTTPResponse.Status = .ok) -> Response {
        Response(status: status, headers: securityHeaders(contentType: "text/html; charset=utf-8"), body: .init(byteBuffer: ByteBuffer(string: text)))
    }

    static func securityHeaders(contentType: String) -> HTTPFields {
        var headers = HTTPFields()
        headers[.contentType] = contentType
        headers[.cacheControl] = "no-store"
        headers[.contentSecurityPolicy] =
            "default-src 'self'; img-src 'self' data: http: https:; style-src 'self' 'unsafe-inline'; script-src 'self'; frame-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'none'"
        headers[HTTPField.Name("X-Frame-Options")!] = "DENY"
        headers[HTTPField.Name("X-Content-Type-Options")!] = "nosniff"
        headers[HTTPField.Name("Referrer-Policy")!] = "same-origin"
        return headers
    }

    static let layout = """
        <!DOCTYPE html>
        <html lang="{{lang}}">
        <head>
        <meta charset="utf-8">
        <meta name="viewport" content="width=device-width, initial-scale=1">
        <title>{{title}} · Poshta</title>
        <link rel="stylesheet" href="/static/console.css">
        <script src="/static/console.js" defer></script>
        </head>
        <body>
        <header class="top">
        <span class="brand">Poshta</span>{{#shop}} <span class="shop">{{shop}}</span>{{/shop}}
        {{#signedIn}}
        <nav aria-label="{{t.nav_label}}"><ul>{{#nav}}<li><a href="{{href}}"{{#current}} aria-current="page"{{/current}}>{{label}}</a></li>{{/nav}}</ul></nav>
        <div class="account">
        <form method="post" action="/language" class="inline">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <input type="hidden" name="back" value="{{path}}">
        <label for="language">{{t.language}}</label>
        <select id="language" name="locale">{{#languages}}<option value="{{code}}"{{#selected}} selected{{/selected}}>{{name}}</option>{{/languages}}</select>
        <button type="submit" id="language-change">{{t.change}}</button>
        </form>
        <form method="post" action="/logout" class="inline">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <button type="submit" id="sign-out">{{t.sign_out}} ({{user}})</button>
        </form>
        </div>
        {{/signedIn}}
        </header>
        <main>
        {{#notice}}<p class="notice" role="status">{{notice}}</p>{{/notice}}
        {{#error}}<p class="error" role="alert">{{error}}</p>{{/error}}
        {{{body}}}
        </main>
        </body>
        </html>

        """
}

/// What the frame around a page shows: who is signed in, the navigation,
/// the language, the CSRF token, and a message after an action.
struct ConsoleFrame: Sendable {
    var locale: String
    var strings: [String: String]
    var shopName: String
    var user: String?
    var isAdmin: Bool
    var csrfToken: String
    var currentPath: String
    var notice: String?
    var error: String?

    /// The sections, in menu order, with the role they need.
    static let sections: [(path: String, key: String, adminOnly: Bool)] = [
        ("/notifications", "nav_notifications", false), ("/automations", "nav_automations", false),
        ("/templates", "nav_templates", false), ("/coupons", "nav_coupons", false), ("/catalog", "nav_catalog", false),
        ("/queue", "nav_queue", true),
    ]

    var values: [String: Any] {
        var values: [String: Any] = [
            "lang": locale, "t": strings, "shop": shopName, "csrf": csrfToken, "path": currentPath,
        ]
        if let user {
            values["signedIn"] = true
            values["user"] = user
            values["nav"] = Self.sections.filter { !$0.adminOnly || isAdmin }.map { section -> [String: Any] in
                [
                    "href": section.path, "label": strings[section.key] ?? section.key,
                    "current": currentPath == section.path || currentPath.hasPrefix(section.path + "/"),
                ]
            }
            values["languages"] = ConsoleStrings.languages.map { language -> [String: Any] in
                ["code": language.code, "name": language.name, "selected": language.code == locale]
            }
        }
        if let notice { values["notice"] = notice }
        if let error { values["error"] = error }
        return values
    }
}
