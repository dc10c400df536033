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
        <div class="table-wrap"><table id="coupon-rules"><thead><tr><th scope="col">{{t.template}}</th><th scope="col">{{t.coupon}}</th></tr></thead>
        <tbody>{{#rules}}<tr><td>{{name}} <span class="mono tag">{{key}}</span></td><td>{{rule}}</td></tr>{{/rules}}</tbody></table></div>
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
            let values: [String: Any] = [
                "pools": try await store.couponPools().map { ["template": $0.template, "left": $0.left, "handedOut": $0.handedOut] },
                "keys": mail.templateSet.current.keys.map { ["key": $0] },
                "rules": mail.couponPolicies.sorted { $0.key < $1.key }.map { key, policy -> [String: Any] in
                    [
                        "key": key, "name": TemplatePages.name(of: key, locale: call.session.locale) ?? key,
                        "rule": AutomationPages.describe(policy, call),
                    ]
                },
                "handOuts": try await store.handOuts(limit: 20).map { coupon -> [String: Any] in
                    [
                        "code": coupon.code, "template": coupon.template, "recipient": coupon.issuedTo ?? "",
                        "when": coupon.issuedAt.map(QueuePages.time) ?? "",
                    ]
                },
            ]
            return call.page("coupons", title: call.t("coupons_title"), values: values)
        }
        console.post("/coupons/import", on: router) { call in
            guard let mail = console.submission?.mail, let store = console.store else {
                return call.json(["error": "the shop's store is not set up"], status: .notFound)
            }
            guard let template = call.form["template"], mail.templateSet.current.schema(template) != nil else {
                return call.json(["error": "choose the email the codes are for"], status: .badRequest)
            }
            let firstLine = call.form["first_line"].flatMap(Int.init) ?? 1
            switch CouponCodeList.read(call.form["csv"] ?? "", firstLine: firstLine) {
            case .failure(let error):
                return call.json(["imported": 0, "bad": [error.description]])
            case .success(let codes):
                guard codes.count <= Self.maximumRows else {
                    return call.json(["error": "at most \(Self.maximumRows) codes at a time"], status: .contentTooLarge)
                }
                let added = try await store.importCoupons(codes, for: template)
                console.logger.notice("console: \(call.session.user) imported \(added) coupon code(s) for \(template)")
                return call.json(["imported": added, "bad": [String]()])
            }
        }
    }
}
