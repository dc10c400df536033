import Foundation
import HTTPListener
import Hummingbird
import ShopStore

/// The coupons page: the pools of imported codes (codes left), an import
/// of a list of codes with a progress bar, the coupon each email carries
/// (`[coupons.KEY]`), and the latest coupons handed out.
struct CouponPages {
    let console: Console

    static let pages = [ConsolePage(name: "coupons", template: template)]

    static let template = """
        <h1>{{t.coupons_title}}</h1>
        <p class="lead">{{t.coupons_lead}}</p>
        <div class="grid">
        <section class="card"><h2>{{t.pools}}</h2>
        <div class="table-wrap"><table id="pools"><thead><tr><th scope="col">{{t.template}}</th><th scope="col">{{t.codes_left}}</th><th scope="col">{{t.sent}}</th></tr></thead>
        <tbody>{{#pools}}<tr><td class="mono">{{template}}</td><td>{{left}}</td><td>{{handedOut}}</td></tr>{{/pools}}</tbody></table></div>
        </section>
        <section class="card"><h2>{{t.import_codes}}</h2>
        <form method="post" action="/coupons/import" data-csv-import data-imported="{{t.imported}}" data-bad-rows="{{t.bad_rows}}" id="coupon-import">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <div class="field"><label for="pool-template">{{t.template}}</label>
        <select id="pool-template" name="template">{{#keys}}<option value="{{key}}">{{key}}</option>{{/keys}}</select></div>
        <div class="field"><label for="pool-file">{{t.file}}</label><input type="file" id="pool-file" name="file" accept=".csv,.txt,text/csv,text/plain" required></div>
        <progress max="1" value="0" hidden aria-label="{{t.import_codes}}"></progress>
        <output class="error-list" for="pool-file"></output>
        <div class="actions"><button type="submit" class="primary">{{t.import}}</button></div>
        </form>
        </section>
        </div>
        <section class="card"><h2>{{t.rules}}</h2>
        <div class="table-wrap"><table id="coupon-rules"><thead><tr><th scope="col">{{t.template}}</th><th scope="col">{{t.coupon}}</th><th scope="col">{{t.edit}}</th></tr></thead>
        <tbody>{{#rules}}<tr><td>{{name}} <span class="mono tag">{{key}}</span></td><td>{{rule}}</td><td><a href="/coupons?key={{key}}#rule-form">{{t.edit}}</a></td></tr>{{/rules}}</tbody></table></div>
        </section>
        <section class="card" id="rule-form"><h2>{{t.coupon_rule_title}}</h2>
        <form method="post" action="/coupons/rule" id="coupon-rule">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <div class="row">
        <div class="field"><label for="rule-key">{{t.template}}</label>
        <select id="rule-key" name="key" data-reload="/coupons?key=">{{#ruleKeys}}<option value="{{key}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/ruleKeys}}</select></div>
        <div class="field"><label for="rule-source">{{t.coupon_kind}}</label>
        <select id="rule-source" name="source">{{#sources}}<option value="{{value}}"{{#selected}} selected{{/selected}}>{{label}}</option>{{/sources}}</select></div>
        </div>
        <div class="row">
        <div class="field"><label for="rule-percent">{{t.percent}}</label><input type="text" inputmode="decimal" id="rule-percent" name="percent" value="{{form.percent}}" size="6"></div>
        <div class="field"><label for="rule-amount">{{t.amount}}</label><input type="text" inputmode="decimal" id="rule-amount" name="amount" value="{{form.amount}}" size="8"></div>
        <div class="field"><label for="rule-prefix">{{t.prefix}}</label><input type="text" id="rule-prefix" name="prefix" value="{{form.prefix}}" size="10"></div>
        <div class="field"><label for="rule-days">{{t.validity}}</label><input type="text" inputmode="numeric" id="rule-days" name="validity_days" value="{{form.validity_days}}" size="5"></div>
        </div>
        <div class="switch"><input type="checkbox" id="rule-when-empty" name="when_pool_empty" value="generate"{{#form.generate}} checked{{/form.generate}}>
        <label for="rule-when-empty">{{t.generate_when_empty}}</label></div>
        <div class="actions"><button type="submit" class="primary" id="save-rule">{{t.save}}</button></div>
        </form>
        </section>
        <section class="card"><h2>{{t.latest_handouts}}</h2>
        <div class="table-wrap"><table id="handouts"><thead><tr><th scope="col">{{t.code}}</th><th scope="col">{{t.template}}</th><th scope="col">{{t.recipient}}</th><th scope="col">{{t.when}}</th></tr></thead>
        <tbody>{{#handOuts}}<tr><td class="mono">{{code}}</td><td class="mono">{{template}}</td><td>{{recipient}}</td><td>{{when}}</td></tr>{{/handOuts}}</tbody></table></div>
        </section>
        """

    /// The most codes (or catalog rows) one import request takes; the page sends 500 at a time.
    static let maximumRows = 5_000

    func register(on router: Router<PoshtaRequestContext>) {
        console.get("/coupons", on: router) { call in
            guard let mail = console.submission?.mail, let store = console.store else { return NotificationPages.unavailable(call) }
            // The form shows the rule of the email it names (the first one when none is asked for).
            let key = call.query["key"].flatMap { mail.templateSet.current.schema($0) != nil ? $0 : nil }
                ?? mail.templateSet.current.keys.first
            let form = Self.fields(key.flatMap { mail.couponPolicies[$0] })
            return call.page("coupons", title: call.t("coupons_title"), values: try await values(call, store: store, key: key, form: form))
        }
        console.post("/coupons/rule", on: router) { call in
            guard let mail = console.submission?.mail, let store = console.store else { return NotificationPages.unavailable(call) }
            guard let key = call.form["key"], mail.templateSet.current.schema(key) != nil else {
                return call.page("message", title: call.t("coupons_title"), values: ["message": call.t("no_template")], status: .badRequest)
            }
            let policy: CouponPolicy?
            do {
                policy = try Self.policy(call.form, currency: mail.shopCurrency)
            } catch {
                var form = call.form.values.compactMapValues(\.first) as [String: Any]
                form["generate"] = call.form["when_pool_empty"] == "generate"
                return call.page(
                    "coupons", title: call.t("coupons_title"), values: try await values(call, store: store, key: key, form: form),
                    error: "\(error)", status: .unprocessableContent)
            }
            try await mail.changeCoupon(of: key, to: policy, in: store)
            console.logger.notice(
                "console: \(call.session.user) set the coupon of \(key): \(policy.map { AutomationPages.describe($0, ConsoleStrings.english) } ?? "none")")
            return call.done("/coupons", notice: "saved")
        }
        console.post("/coupons/import", on: router) { call in
            guard let mail = console.submission?.mail, let store = console.store else {
                return call.json(["error": "the shop's store is not set up"], status: .notFound)
            }
            guard let template = call.form["template"], mail.templateSet.current.schema(template) != nil else {
                return call.json(["error": "choose the email the codes are for"], status: .badRequest)
            }
            let firstLine = call.form["first_line"].flatMap(Int.init) ?? 1
            // The good codes go in; the bad lines are reported, each with its line in the file.
            let (codes, errors) = CouponCodeList.read(call.form["csv"] ?? "", firstLine: firstLine)
            guard codes.count + errors.count <= Self.maximumRows else {
                return call.json(["error": "at most \(Self.maximumRows) codes at a time"], status: .contentTooLarge)
            }
            let added = try await store.importCoupons(codes, for: template)
            console.logger.notice("console: \(call.session.user) imported \(added) coupon code(s) for \(template), \(errors.count) bad line(s)")
            return call.json(["imported": added, "bad": errors.map(\.description)])
        }
    }

    /// The page: pools, the import form, the rules (with the form for one key), the latest hand-outs.
    private func values(_ call: ConsoleCall, store: any ShopStore, key: String?, form: [String: Any]) async throws -> [String: Any] {
        guard let mail = console.submission?.mail else { return [:] }
        let keys = mail.templateSet.current.keys
        let name = { (key: String) in TemplatePages.name(of: key, locale: call.session.locale) ?? key }
        let source = form["source"] as? String ?? "none"
        return [
            "pools": try await store.couponPools().map { ["template": $0.template, "left": $0.left, "handedOut": $0.handedOut] },
            "keys": keys.map { ["key": $0] },
            "rules": mail.couponPolicies.sorted { $0.key < $1.key }.map { key, policy -> [String: Any] in
                ["key": key, "name": name(key), "rule": AutomationPages.describe(policy, call.strings)]
            },
            "ruleKeys": keys.map { candidate -> [String: Any] in
                ["key": candidate, "label": "\(name(candidate)) (\(candidate))", "selected": candidate == key]
            },
            "sources": [("none", "no_coupon"), ("generate", "coupon_new_code"), ("pool", "coupon_from_list")].map { value, label in
                ["value": value, "label": call.t(label), "selected": value == source] as [String: Any]
            },
            "form": form,
            "handOuts": try await store.handOuts(limit: 20).map { coupon -> [String: Any] in
                [
                    "code": coupon.code, "template": coupon.template, "recipient": coupon.issuedTo ?? "",
                    "when": coupon.issuedAt.map(QueuePages.time) ?? "",
                ]
            },
        ]
    }

    /// A rule's fields as the form shows them.
    static func fields(_ policy: CouponPolicy?) -> [String: Any] {
        var fields: [String: Any] = [
            "source": policy?.source.rawValue ?? "none", "prefix": policy?.prefix ?? "",
            "validity_days": policy?.validityDays.map(String.init) ?? "", "generate": policy?.generateWhenPoolEmpty ?? false,
        ]
        switch policy?.value {
        case .percent(let percent)?: fields["percent"] = percent.formatted(.number.grouping(.never))
        case .fixed(let amount, _)?: fields["amount"] = amount.formatted(.number.grouping(.never))
        case nil: break
        }
        return fields
    }

    /// The rule the form describes, checked as `[coupons.KEY]` is; nil for "no coupon".
    static func policy(_ form: ConsoleForm, currency: String) throws -> CouponPolicy? {
        let kind = form["source"] ?? "none"
        if kind == "none" { return nil }
        guard let source = CouponPolicy.Source(rawValue: kind) else {
            throw CouponPolicyError(field: "source", reason: "\"\(kind)\" is not a kind of coupon; none, generate or pool")
        }
        func number(_ name: String) throws -> Double? {
            let text = (form[name] ?? "").trimmingCharacters(in: .whitespaces).replacingOccurrences(of: ",", with: ".")
            guard !text.isEmpty else { return nil }
            guard let value = Double(text), value.isFinite else {
                throw CouponPolicyError(field: name, reason: "\"\(text)\" is not a number")
            }
            return value
        }
        let days = try number("validity_days")
        if let days, days != days.rounded() || !(1...36_500).contains(days) {
            throw CouponPolicyError(field: "validity_days", reason: "\(days.formatted()) is not a whole number of days from 1 to 36500")
        }
        let prefix = (form["prefix"] ?? "").trimmingCharacters(in: .whitespaces)
        return try CouponPolicy(
            checking: source, percent: try number("percent"), amount: try number("amount"), currency: currency, prefix: prefix,
            validityDays: days.map { Int($0) }, whenPoolEmpty: form["when_pool_empty"] == "generate" ? "generate" : "none")
    }
}
