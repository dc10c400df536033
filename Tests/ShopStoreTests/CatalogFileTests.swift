import ShopStore
import Testing

/// Catalog files as shops export them: CSV (RFC 4180) and JSON lines, every
/// bad row named by its line.
@Suite("catalog files: CSV and JSON lines")
struct CatalogFileTests {
    @Test("CSV: quoted fields with commas, quotes and line breaks; lists split on |; names per locale")
    func csv() {
        let text = #"""
            sku,name_en,name_bg,price,currency,categories,related,stock,track_inventory,active\#r
            TEA1,"Mint tea, loose","Чай ""Мента""",8.90,bgn,Tea|Storefront,TEA2,12,yes,true\#r
            CUP,"A cup,
            hand-made",Чаша,24,BGN,Ceramics,,0,1,0\#r

            """#
        let (products, errors) = CatalogFile.read(text, format: .csv)
        #expect(errors.isEmpty, "\(errors)")
        #expect(products.count == 2)
        #expect(products[0].names == ["en": "Mint tea, loose", "bg": "Чай \"Мента\""])
        #expect(products[0].currency == "BGN" && products[0].price == 8.9)
        #expect(products[0].categories == ["Tea", "Storefront"] && products[0].related == ["TEA2"])
        #expect(products[0].trackInventory && products[0].stock == 12)
        #expect(products[1].names["en"] == "A cup,\nhand-made" && !products[1].active)
    }

    @Test("bad rows are named by their line; the good ones are still read")
    func badRows() {
        let text = """
            sku,name_en,price,currency,related
            A,Apple,1.5,BGN,
            B,,2,BGN,
            C,Cherry,cheap,BGN,
            D,Date,3,leva,
            E,Elder,4,BGN,A|B|C|D
            A,Apple again,1,BGN,
            F,Fig,5,BGN
            """
        let (products, errors) = CatalogFile.read(text, format: .csv)
        #expect(products.map(\.sku) == ["A"])
        #expect(errors.map(\.description) == [
            "line 3: sku B: no name (a name_en, name_bg, … column)",
            "line 4: sku C: price \"cheap\" is not an amount",
            "line 5: sku D: currency \"leva\" is not an ISO 4217 code like BGN",
            "line 6: sku E: more than three related products",
            "line 7: sku A again (first on line 2)",
            "line 8: 4 fields, the header has 5",
        ])
        #expect(CatalogFile.read("name_en,price\nx,1\n", format: .csv).errors.map(\.description) == ["line 1: the header has no sku column"])
        #expect(CatalogFile.read("sku,price\n\"A,1\n", format: .csv).errors.first?.description == "line 2: a quoted field is never closed")
    }

    @Test("JSON lines: names as an object, lists as arrays, numbers as numbers")
    func jsonLines() {
        let text = """
            {"sku": "TEA1", "names": {"en": "Mint tea", "mk": "Чај од нане"}, "price": 8.9, "currency": "MKD", "categories": ["Tea"], "units_sold": 40}

            {"sku": "TEA2", "name_en": "Green tea", "price": "12.5", "currency": "BGN", "active": false}
            not json
            """
        let (products, errors) = CatalogFile.read(text, format: .jsonLines)
        #expect(products.map(\.sku) == ["TEA1", "TEA2"])
        #expect(products[0].names["mk"] == "Чај од нане" && products[0].unitsSold == 40)
        #expect(!products[1].active && products[1].price == 12.5)
        #expect(errors.map(\.description) == ["line 4: not a JSON object"])
        #expect(CatalogFile.format(ofFile: "/tmp/x.CSV") == .csv && CatalogFile.format(ofFile: "a.jsonl") == .jsonLines)
    }
}
