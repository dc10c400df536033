import Spool
import Testing

/// The filter as URL query parameters: what the CLI writes, the admin API reads.
@Suite("QueueFilter as query parameters")
struct QueueFilterQueryTests {
    @Test("every field survives the trip to parameters and back")
    func roundTrip() throws {
        let filter = QueueFilter(
            ids: ["0AM9TBNB000", "0AM9TBNB001"], states: [.deferred, .hold], sender: "<>", recipient: "ana",
            domain: "gmail.com", olderThan: 7200, template: "order_paid", automation: "abandoned_cart", order: "1042",
            customer: "ana@gmail.com")
        var query: [String: String] = [:]
        for item in filter.query { query[item.name] = item.value }
        #expect(query["state"] == "deferred,hold")
        #expect(query["older_than"] == "7200.0")
        #expect(try QueueFilter(query: query) == filter)
        #expect(QueueFilter().query.isEmpty)
    }

    @Test("a wrong state or age is named in the error; lists ignore blanks")
    func errors() throws {
        #expect(throws: QueueFilterError.self) { try QueueFilter(query: ["state": "queued,sent"]) }
        do {
            _ = try QueueFilter(query: ["older_than": "2h"])
            Issue.record("2h accepted as seconds")
        } catch {
            #expect(error.description == "older_than: \"2h\" is not a number of seconds")
        }
        #expect(try QueueFilter(query: ["id": "A, ,B,"]).ids == ["A", "B"])
    }
}
