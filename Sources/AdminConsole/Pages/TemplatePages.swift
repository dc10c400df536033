import Foundation
import HTTPListener
import Hummingbird
import ShopMail
import Templates

/// The templates page: every key per locale, and an editor per key and
/// locale with a live preview (sandboxed iframe, desktop and phone widths),
/// validation on save, revert to the shipped default, and a test mail.
/// Edits are written under `custom/<locale>/` beside the shipped templates.
struct TemplatePages {
    let console: Console

    static let pages = [ConsolePage(name: "templates", template: list), ConsolePage(name: "template", template: editor)]

    static let list = """
        <h1>{{t.templates_title}}</h1>
        <p class="lead">{{t.templates_lead}}</p>
        <div class="table-wrap">
        <table id="templates">
        <thead><tr><th scope="col">{{t.template}}</th>{{#locales}}<th scope="col">{{name}}</th>{{/locales}}</tr></thead>
        <tbody>
        {{#keys}}
        <tr><td><span class="mono">{{key}}</span>{{#name}}<br>{{name}}{{/name}}</td>
        {{#cells}}<td><a href="/templates/{{locale}}/{{key}}" id="edit-{{locale}}-{{key}}">{{code}}</a>{{#edited}} <span class="tag edited">{{t.edited}}</span>{{/edited}}</td>{{/cells}}
        </tr>
        {{/keys}}
        </tbody>
        </table>
        </div>
        """

    static let editor = """
        <h1><span class="mono">{{key}}</span> · {{localeName}}</h1>
        {{#name}}<p class="lead">{{name}}{{#edited}} <span class="tag edited">{{t.edited}}</span>{{/edited}}</p>{{/name}}
        <div class="editor">
        <form method="post" action="/templates/{{locale}}/{{key}}" id="template-form" data-preview="/templates/{{locale}}/{{key}}/preview">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <div class="field"><label for="subject">{{t.subject}}</label>
        <textarea id="subject" name="subject" rows="2" spellcheck="true">
        {{subject}}</textarea></div>
        <div class="field"><label for="text">{{t.text_version}}</label>
        <textarea id="text" name="text" rows="12" spellcheck="true">
        {{text}}</textarea></div>
        <div class="field"><label for="html">{{t.html_version}}</label>
        <textarea id="html" name="html" rows="18" spellcheck="false">
        {{html}}</textarea></div>
        <div class="actions"><button type="submit" class="primary" id="save">{{t.save}}</button></div>
        </form>
        <section class="preview" aria-labelledby="preview-heading">
        <h2 id="preview-heading">{{t.preview}}</h2>
        <div class="actions"><button type="button" data-preview-width="100%">{{t.desktop}}</button>
        <button type="button" data-preview-width="390px">{{t.phone}}</button></div>
        <p class="error" id="preview-error" role="alert" hidden></p>
        <p class="subject" id="preview-subject">{{previewSubject}}</p>
        <iframe id="preview" sandbox="" title="{{t.preview}}" srcdoc="{{previewHTML}}"></iframe>
        </section>
        </div>
        <section class="card">
        <form method="post" action="/templates/{{locale}}/{{key}}/test" class="row" id="test-form">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <div class="field"><label for="test-to">{{t.send_test_to}}</label>
        <input type="email" id="test-to" name="to" value="{{testTo}}" required></div>
        <button type="submit" id="send-test">{{t.send_test}}</button>
        </form>
        {{#edited}}
        <form method="post" action="/templates/{{locale}}/{{key}}/revert" class="actions" id="revert-form">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <button type="submit" class="danger" id="revert" data-confirm="{{t.revert}}?">{{t.revert}}</button>
        </form>
        {{/edited}}
        </section>
        """

    func register(on router: Router<PoshtaRequestContext>) {
        console.get("/templates", on: router) { call in
            guard let mail = console.submission?.mail else { return NotificationPages.unavailable(call) }
            let renderer = mail.templateSet.current
            let locales = renderer.locales
            let keys = renderer.keys.map { key -> [String: Any] in
                [
                    "key": key, "name": Self.name(of: key, locale: call.session.locale) ?? "",
                    "cells": locales.map { locale -> [String: Any] in
                        ["locale": locale, "key": key, "code": locale, "edited": renderer.isEdited(key: key, locale: locale)]
                    },
                ]
            }
            return call.page(
                "templates", title: call.t("templates_title"),
                values: ["locales": locales.map { ["name": Self.languageName($0)] }, "keys": keys])
        }
        console.get("/templates/{locale}/{key}", on: router) { call in
            guard let (renderer, locale, key) = target(call) else { return notFound(call) }
            var parts: [String: String] = [:]
            for part in TemplateRenderer.parts { parts[part] = renderer.source(key: key, locale: locale, part: part)?.text ?? "" }
            return try await editor(call, renderer: renderer, locale: locale, key: key, parts: parts, error: nil)
        }
        console.post("/templates/{locale}/{key}/preview", on: router) { call in
            guard let (renderer, locale, key) = target(call) else { return call.json(["error": "unknown template"], status: .notFound) }
            do {
                let rendered = try await renderer.trial(key: key, locale: locale, parts: Self.parts(call.form))
                return call.json(["subject": rendered.subject, "html": rendered.html])
            } catch {
                return call.json(["error": "\(error)"])
            }
        }
        console.post("/templates/{locale}/{key}", on: router) { call in
            guard let (renderer, locale, key) = target(call), let mail = console.submission?.mail else { return notFound(call) }
            let parts = Self.parts(call.form)
            do {
                _ = try await renderer.trial(key: key, locale: locale, parts: parts)
            } catch {
                let sentence = "\(call.t("template_refused")): \(error)"
                return try await editor(call, renderer: renderer, locale: locale, key: key, parts: parts, error: sentence, status: .unprocessableContent)
            }
            try renderer.saveEdit(key: key, locale: locale, parts: parts)
            // In force for the next mail, not at the next reload tick.
            let outcome = await mail.templateSet.reloadIfChanged()
            if case .failed(let reason) = outcome {
                console.logger.error("console: templates do not load after \(call.session.user)'s edit of \(locale)/\(key): \(reason)")
            }
            console.logger.notice("console: \(call.session.user) saved template \(locale)/\(key)")
            return call.done("/templates/\(locale)/\(key)", notice: "template_saved")
        }
        console.post("/templates/{locale}/{key}/revert", on: router) { call in
            guard let (renderer, locale, key) = target(call), let mail = console.submission?.mail else { return notFound(call) }
            try renderer.revertEdit(key: key, locale: locale)
            _ = await mail.templateSet.reloadIfChanged()
            console.logger.notice("console: \(call.session.user) reverted template \(locale)/\(key) to the shipped one")
            return call.done("/templates/\(locale)/\(key)", notice: "reverted")
        }
        console.post("/templates/{locale}/{key}/test", on: router) { call in
            guard let (renderer, locale, key) = target(call), let submission = console.submission else { return notFound(call) }
            let address = (call.form["to"] ?? "").trimmingCharacters(in: .whitespaces)
            var parts: [String: String] = [:]
            for part in TemplateRenderer.parts { parts[part] = renderer.source(key: key, locale: locale, part: part)?.text ?? "" }
            let answer = await submission.message([
                "template": key, "locale": locale, "to": address, "data": try renderer.sample(key),
            ])
            switch answer {
            case .queued(let id):
                console.logger.notice("console: \(call.session.user) sent a test of \(locale)/\(key) to <\(address)>: \(id)")
                return call.done("/templates/\(locale)/\(key)", notice: "test_sent")
            case .suppressed(let why), .handled(let why), .unavailable(let why):
                return try await editor(call, renderer: renderer, locale: locale, key: key, parts: parts, error: why, status: .conflict, testTo: address)
            case .refused(let reply):
                return try await editor(
                    call, renderer: renderer, locale: locale, key: key, parts: parts, error: reply.lines.joined(separator: " "),
                    status: .badRequest, testTo: address)
            }
        }
    }

    /// The templates, locale and key of the request's path, when they exist.
    private func target(_ call: ConsoleCall) -> (TemplateRenderer, String, String)? {
        guard let renderer = console.submission?.mail.templateSet.current,
            let locale = call.context.parameters.get("locale"), let key = call.context.parameters.get("key"),
            renderer.locales.contains(locale), renderer.schema(key) != nil
        else { return nil }
        return (renderer, locale, key)
    }

    private func editor(
        _ call: ConsoleCall, renderer: TemplateRenderer, locale: String, key: String, parts: [String: String],
        error: String?, status: HTTPResponse.Status = .ok, testTo: String = ""
    ) async throws -> Response {
        var values: [String: Any] = [
            "key": key, "locale": locale, "localeName": Self.languageName(locale),
            "name": Self.name(of: key, locale: call.session.locale) ?? "", "edited": renderer.isEdited(key: key, locale: locale),
            "subject": Self.forEditor(parts["subject"] ?? "", part: "subject"),
            "text": Self.forEditor(parts["text"] ?? "", part: "text"), "html": parts["html"] ?? "", "testTo": testTo,
        ]
        if let rendered = try? await renderer.trial(key: key, locale: locale, parts: parts) {
            values["previewSubject"] = rendered.subject
            values["previewHTML"] = rendered.html
        }
        return call.page("template", title: "\(key) · \(locale)", values: values, error: error, status: status)
    }

    private func notFound(_ call: ConsoleCall) -> Response {
        call.page("message", title: call.t("templates_title"), values: ["message": call.t("no_template")], status: .notFound)
    }

    /// The three parts as the form sent them, with the browser's CRLF line
    /// ends made LF again (as the files are), and the subject and text
    /// marked as plain text again (see `textPragma`).
    static func parts(_ form: ConsoleForm) -> [String: String] {
        var parts: [String: String] = [:]
        for part in TemplateRenderer.parts {
            guard var text = form[part]?.replacingOccurrences(of: "\r\n", with: "\n") else { continue }
            if part != "html" && !text.hasPrefix(textPragma) { text = textPragma + "\n" + text }
            parts[part] = text
        }
        return parts
    }

    /// The first line of every subject and text template: it tells Mustache
    /// not to escape HTML in them. The editor hides it (an owner has no use
    /// for it, and without it "&" would arrive as "&amp;") and puts it back.
    static let textPragma = "{{% CONTENT_TYPE: TEXT}}"

    /// A part as the editor shows it: without the plain-text pragma line.
    static func forEditor(_ text: String, part: String) -> String {
        guard part != "html", text.hasPrefix(textPragma) else { return text }
        let rest = text.dropFirst(textPragma.count)
        return String(rest.first == "\n" ? rest.dropFirst() : rest)
    }

    static func name(of key: String, locale: String) -> String? {
        let names = ConsoleDescriptions.notifications[key] ?? ConsoleDescriptions.automations[key]
        return (names?[locale] ?? names?["en"])?.name
    }

    static func languageName(_ code: String) -> String {
        ConsoleStrings.languages.first { $0.code == code }?.name ?? code
    }
}
