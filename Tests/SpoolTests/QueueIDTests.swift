import Testing

@testable import Spool

@Suite("queue ids")
struct QueueIDTests {
    @Test("an id prints as 11 base32 characters and parses back")
    func roundtrip() throws {
        let id = QueueIDGenerator().next()
        #expect(id.description.count == 11)
        #expect(QueueID(id.description) == id)
    }

    @Test("ids sort by the time they were made")
    func sortable() {
        let early = QueueIDGenerator(now: { 1_800_000_000_000 }).next()
        let late = QueueIDGenerator(now: { 1_800_000_000_001 }).next()
        #expect(early < late)
        #expect(early.description < late.description)
        #expect(early.milliseconds == 1_800_000_000_000)
    }

    @Test("ids made in the same millisecond are distinct and increasing")
    func sameMillisecond() {
        let generator = QueueIDGenerator(now: { 1_800_000_000_000 })
        let ids = (0..<10_000).map { _ in generator.next() }
        #expect(Set(ids).count == ids.count)
        #expect(ids == ids.sorted())
    }

    @Test("a generator started after an existing id never goes below it, even if the clock went back")
    func afterExisting() {
        let newest = QueueIDGenerator(now: { 1_900_000_000_000 }).next()
        let next = QueueIDGenerator(after: newest, now: { 1_800_000_000_000 }).next()
        #expect(next > newest)
    }

    @Test("text that is not an id is refused", arguments: ["", "0AM9TVF700", "0AM9TVF7000X", "0AM9TVF700U", "0am9tvf7000"])
    func invalid(_ text: String) {
        #expect(QueueID(text) == nil)
    }
}
