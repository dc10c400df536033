import Foundation
import HTTPListener
import Hummingbird
import ShopStore

/// The catalog page: search, a product with its related products, and a
/// CSV import with a progress bar and a report of the rows not imported.
struct CatalogPages {
    let console: Console

    static let pages = [ConsolePage(name: "catalog", template: template), ConsolePage(name: "product", template: product)]

    static let template = """
        <h1>{{t.catalog_title}}</h1>
        <p class="lead">{{t.catalog_lead}} ({{count}})</p>
        <form method="get" action="/catalog" class="row card" id="catalog-search">
        <div class="field"><label for="q">{{t.search_products}}</label><input type="search" id="q" name="q" value="{{q}}"></div>
        <button type="submit">{{t.search}}</button>
        </form>
        {{#searched}}
        <div class="table-wrap"><table id="products"><thead><tr><th scope="col">SKU</th><th scope="col">{{t.product_name}}</th><th scope="col">{{t.price}}</th><th scope="col">{{t.stock}}</th></tr></thead>
        <tbody>{{#products}}<tr><td class="mono"><a href="/catalog/{{skuPath}}">{{sku}}</a></td><td>{{name}}</td><td>{{price}}</td><td>{{stock}}</td></tr>{{/products}}</tbody></table></div>
        {{^products}}<p>{{t.nothing_found}}</p>{{/products}}
        {{/searched}}
        <section class="card"><h2>{{t.import_products}}</h2>
        <form method="post" action="/catalog/import" data-csv-import data-header="true" data-imported="{{t.imported}}" data-bad-rows="{{t.bad_rows}}" id="catalog-import">
        <input type="hidden" name="csrf" value="{{csrf}}">
        <div class="field"><label for="catalog-file">{{t.file}}</label><input type="file" id="catalog-file" name="file" accept=".csv,text/csv" required></div>
        <progress max="1" value="0" hidden aria-label="{{t.import_products}}"></progress>
        <output for="catalog-file"></output>
        <div class="actions"><button type="submit" class="primary">{{t.import}}</button></div>
        </form>
        </section>
        """

    static let product = """
        <h1>{{name}}</h1>
        <p class="mono">{{sku}}</p>
        <dl class="figures card">
        <div><dt>{{t.price}}</dt><dd>{{price}}</dd></div><div><dt>{{t.stock}}</dt><dd>{{stock}}</dd></div>
        {{#url}}<div><dt>URL</dt><dd><a href="{{url}}">{{url}}</a></dd></div>{{/url}}
        </dl>
        <section class="card"><h2>{{t.related}}</h2>
        <div class="table-wrap"><table id="related"><tbody>{{#related}}<tr><td class="mono"><a href="/catalog/{{skuPath}}">{{sku}}</a></td><td>{{name}}</td><td>{{price}}</td></tr>{{/related}}</tbody></table></div>
        {{^related}}<p>{{t.nothing_found}}</p>{{/related}}
        </section>
        <p><a href="/catalog">{{t.catalog_title}}</a></p>
        """

    func register(on router: Router<PoshtaRequestContext>) {
        console.get("/catalog", on: router) { call in
            guard let store = console.store else { return NotificationPages.unavailable(call) }
            let q = (call.query["q"] ?? "").trimmingCharacters(in: .whitespaces)
            var values: [String: Any] = ["count": try await store.productCount(), "q": q]
            if !q.isEmpty {
                values["searched"] = true
                values["products"] = try await store.searchProducts(q, limit: 100).map { row($0, locale: call.session.locale) }
            }
            return call.page("catalog", title: call.t("catalog_title"), values: values)
        }
        console.get("/catalog/{sku}", on: router) { call in
            guard let store = console.store else { return NotificationPages.unavailable(call) }
            guard let product = try await store.product(call.context.parameters.get("sku") ?? "") else {
                return call.page("message", title: call.t("catalog_title"), values: ["message": call.t("nothing_found")], status: .notFound)
            }
            var values = row(product, locale: call.session.locale)
            // Only a web address becomes a link (not javascript: or data:).
            values["url"] = product.url.flatMap { $0.hasPrefix("https://") || $0.hasPrefix("http://") ? $0 : nil } ?? ""
            values["related"] = try await store.relatedProducts(forOrder: [product.sku]).map { row($0, locale: call.session.locale) }
            return call.page("product", title: product.sku, values: values)
        }
        console.post("/catalog/import", on: router) { call in
            guard let store = console.store else { return call.json(["error": "the shop's store is not set up"], status: .notFound) }
            let firstLine = min(max(call.form["first_line"].flatMap(Int.init) ?? 2, 2), 10_000_000)
            let (products, errors) = CatalogFile.read(call.form["csv"] ?? "", format: .csv)
            guard products.count + errors.count <= CouponPages.maximumRows else {
                return call.json(["error": "at most \(CouponPages.maximumRows) rows at a time"], status: .contentTooLarge)
            }
            try await store.upsert(products)
            // The chunk's line 2 (after its header) is the file's `firstLine`.
            let bad = errors.map { "line \(max(1, $0.line - 2 + firstLine)): \($0.reason)" }
            console.logger.notice("console: \(call.session.user) imported \(products.count) product(s), \(errors.count) bad row(s)")
            return call.json(["imported": products.count, "bad": bad])
        }
    }

    private func row(_ product: Product, locale: String) -> [String: Any] {
        [
            "sku": product.sku, "skuPath": ConsoleCall.pathSegment(product.sku), "name": product.names[locale] ?? product.names["en"] ?? product.names.values.sorted().first ?? "",
            "price": "\(product.price.formatted(.number.precision(.fractionLength(2)))) \(product.currency)",
            "stock": product.stock.map(String.init) ?? "—",
        ]
    }
}
