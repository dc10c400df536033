import Foundation
import PoshtaTestSupport
import Testing

/// `poshta catalog import|list|show`, the real binary on a real store file.
@Suite("poshta catalog: import, list, show")
struct CatalogCommandTests {
    private func poshta(_ arguments: [String]) async throws -> ExternalProcess.Result {
        try await ExternalProcess.run(DaemonProcess.binary, arguments, timeout: .seconds(30))
    }

    @Test("a file with a bad row imports nothing; --skip-bad imports the rest; a second import updates")
    func importFile() async throws {
        let directory = try TemporaryDirectory(prefix: "poshta-catalog")
        let file = try DaemonConfiguration(spool: "spool").write(in: directory)
        let csv = try directory.write(
            """
            sku,name_en,name_bg,price,currency,categories
            TEA1,Mint tea,Чай мента,8.90,BGN,Tea|Storefront
            TEA2,Green tea,Зелен чай,twelve,BGN,Tea
            CUP,Cup,Чаша,24,BGN,Ceramics

            """, to: "catalog.csv")
        let refused = try await poshta(["catalog", "import", "--config", file, csv])
        #expect(refused.status == 1)
        #expect(refused.error.contains("catalog.csv: line 3: sku TEA2: price \"twelve\" is not an amount"))
        #expect(refused.error.contains("nothing imported"))
        #expect(try await poshta(["catalog", "list", "--config", file]).output.contains("-- 0 product(s)"))

        let skipped = try await poshta(["catalog", "import", "--config", file, "--skip-bad", csv])
        #expect(skipped.status == 0, "\(skipped.error)")
        #expect(skipped.output == "imported 2 product(s): 2 new, 0 updated; 1 bad row(s) skipped\n")

        let jsonl = try directory.write(
            #"{"sku": "TEA1", "names": {"en": "Mint tea (100 g)"}, "price": 9.5, "currency": "BGN", "units_sold": 3}"# + "\n",
            to: "update.jsonl")
        let updated = try await poshta(["catalog", "import", "--config", file, jsonl])
        #expect(updated.output == "imported 1 product(s): 0 new, 1 updated\n", "\(updated.error)")
        let list = try await poshta(["catalog", "list", "--config", file])
        #expect(list.output == "CUP\t24.00 BGN\tCup\tCeramics\nTEA1\t9.50 BGN\tMint tea (100 g)\t\n-- 2 product(s)\n")
        let shown = try await poshta(["catalog", "show", "--config", file, "TEA1"])
        #expect(shown.output.contains("\"units_sold\" : 3"), "\(shown.output)")
        let missing = try await poshta(["catalog", "show", "--config", file, "NOPE"])
        #expect(missing.status == 1 && missing.error.contains("no product NOPE"))
    }
}

/// `poshta coupon import|list`, the real binary on a real store file.
@Suite("poshta coupon: import and list")
struct CouponCommandTests {
    @Test("codes are imported once per key, a bad line stops the import, the list shows their status")
    func importAndList() async throws {
        let directory = try TemporaryDirectory(prefix: "poshta-coupon")
        var configuration = DaemonConfiguration(spool: "spool")
        configuration.extra = "\n[coupons.order_paid]\nsource = \"pool\"\n"
        let file = try configuration.write(in: directory)
        let codes = try directory.write("# autumn batch\nAUTUMN-1\nAUTUMN-2\n\nAUTUMN-1\n", to: "codes.txt")
        let imported = try await ExternalProcess.run(DaemonProcess.binary, ["coupon", "import", "--config", file, "--for", "order_paid", codes])
        #expect(imported.status == 0, "\(imported.error)")
        #expect(imported.output == "imported 2 code(s) for order_paid (1 already known)\n")
        let bad = try directory.write("GOOD-1\nnot a code\n", to: "bad.txt")
        let refused = try await ExternalProcess.run(DaemonProcess.binary, ["coupon", "import", "--config", file, "--for", "order_paid", bad])
        #expect(refused.status == 1 && refused.error.contains("bad.txt: line 2: \"not a code\" is not a code"))
        let list = try await ExternalProcess.run(DaemonProcess.binary, ["coupon", "list", "--config", file])
        #expect(list.output == "AUTUMN-2\torder_paid\tunissued\t-\t-\nAUTUMN-1\torder_paid\tunissued\t-\t-\n-- 2 coupon(s)\n", "\(list.output)")
    }
}
