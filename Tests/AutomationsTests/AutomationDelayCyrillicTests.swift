import Automations
import Testing

/// Delays as a Bulgarian or Macedonian shop owner types them in the console.
@Suite("delays in Cyrillic words")
struct AutomationDelayCyrillicTests {
    @Test("„2 часа“, „3 дни“, „3 дена“, „1 седмица“, „1 недела“, „6 месеца“, „1 година“ read as the English words do")
    func words() {
        #expect(AutomationDelay(parsing: "2 часа") == AutomationDelay(2, .hours))
        #expect(AutomationDelay(parsing: "1 час") == AutomationDelay(1, .hours))
        #expect(AutomationDelay(parsing: "3 дни") == AutomationDelay(3, .days))
        #expect(AutomationDelay(parsing: "3 дена") == AutomationDelay(3, .days))
        #expect(AutomationDelay(parsing: "1 седмица") == AutomationDelay(1, .weeks))
        #expect(AutomationDelay(parsing: "2 недели") == AutomationDelay(2, .weeks))
        #expect(AutomationDelay(parsing: "6 месеца") == AutomationDelay(6, .months))
        #expect(AutomationDelay(parsing: "6 месеци") == AutomationDelay(6, .months))
        #expect(AutomationDelay(parsing: "1 година") == AutomationDelay(1, .years))
        #expect(AutomationDelay(parsing: "30 МИНУТИ") == AutomationDelay(30, .minutes))
        #expect(AutomationDelay(parsing: "2 чаши") == nil)
    }
}
