import Testing
import Accounts
import Automations

@testable import AdminConsole

/// Form bodies and queries as browsers send them.
@Suite("console forms")
struct ConsoleFormTests {
    @Test("+ is a space, %XX a byte (UTF-8 Cyrillic too), a name may repeat, a bare name is an empty value")
    func decoding() {
        let form = ConsoleForm("csrf=a-b_c&subject=%D0%9F%D0%BB%D0%B0%D1%82%D0%B5%D0%BD%D0%BE+%7B%7Border.number%7D%7D&enabled=order_paid&enabled=welcome&customer")
        #expect(form["subject"] == "Платено {{order.number}}")
        #expect(form.all("enabled") == ["order_paid", "welcome"])
        #expect(form.isChecked("customer") && form["customer"] == "" && !form.isChecked("admin"))
        #expect(form["csrf"] == "a-b_c")
    }

    @Test("a broken escape or bytes that are not UTF-8 drop that field, not the form")
    func badBytes() {
        let form = ConsoleForm("a=%ZZ&b=%FF%FE&c=ok&d=100%25")
        #expect(form["a"] == nil && form["b"] == nil)
        #expect(form["c"] == "ok" && form["d"] == "100%")
    }
}

/// Session ids and CSRF tokens.
@Suite("console sessions")
struct ConsoleSessionTests {
    @Test("tokens are 43 base64url characters and differ; comparison needs every byte")
    func tokens() {
        let tokens = (0..<50).map { _ in ConsoleSessions.randomToken() }
        #expect(Set(tokens).count == 50)
        #expect(tokens.allSatisfy { $0.count == 43 && $0.allSatisfy { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" } })
        #expect(ConsoleSessions.sameToken(tokens[0], tokens[0]))
        #expect(!ConsoleSessions.sameToken(tokens[0], tokens[1]))
        #expect(!ConsoleSessions.sameToken(tokens[0], String(tokens[0].dropLast())))
        #expect(!ConsoleSessions.sameToken("", tokens[0]))
    }

    @Test("a session is found by its id until it ends; its language can change")
    func lifecycle() throws {
        let sessions = ConsoleSessions()
        let maria = UserRecord(name: "maria", hash: try PasswordHash.make(password: "tea", cost: .fastForTests), role: .owner)
        let id = try #require(sessions.start(user: maria, locale: "en"))
        #expect(sessions.start(user: UserRecord(name: "shop", hash: maria.hash), locale: "en") == nil)
        #expect(sessions.session(id)?.user == "maria")
        #expect(sessions.session("not-" + id) == nil)
        sessions.setLocale("mk", for: id)
        #expect(sessions.session(id)?.locale == "mk")
        sessions.end(id)
        #expect(sessions.session(id) == nil)
    }
}

/// The console's words and the delays as the owner reads them.
@Suite("console words")
struct ConsoleWordsTests {
    @Test("every language has every English key; an unknown language is English")
    func tables() {
        for (code, _) in ConsoleStrings.languages {
            #expect(Set(ConsoleStrings.table(code).keys) == Set(ConsoleStrings.english.keys), "\(code)")
        }
        #expect(Set(ConsoleStrings.bulgarian.keys) == Set(ConsoleStrings.english.keys))
        #expect(Set(ConsoleStrings.macedonian.keys) == Set(ConsoleStrings.english.keys))
        #expect(ConsoleStrings.supported("de") == "en" && ConsoleStrings.supported("BG") == "bg")
        #expect(ConsoleStrings.table("mk")["save"] != ConsoleStrings.table("en")["save"])
    }

    @Test("every notification and automation is described in the three languages")
    func descriptions() {
        for descriptions in [ConsoleDescriptions.notifications, ConsoleDescriptions.automations] {
            for (key, byLocale) in descriptions {
                #expect(Set(byLocale.keys) == ["en", "bg", "mk"], "\(key)")
                #expect(byLocale.values.allSatisfy { !$0.name.isEmpty && !$0.when.isEmpty }, "\(key)")
            }
        }
        #expect(ConsoleDescriptions.automations.count == 7)
    }

    @Test("delays spelled in the owner's language read back")
    func delays() {
        #expect(AutomationPages.spelled(.init(2, .hours), locale: "en") == "2 hours")
        #expect(AutomationPages.spelled(.init(1, .days), locale: "bg") == "1 ден")
        #expect(AutomationPages.spelled(.init(3, .days), locale: "mk") == "3 дена")
        for locale in ["en", "bg", "mk"] {
            for delay in [AutomationDelay(2, .hours), AutomationDelay(3, .days), AutomationDelay(4, .weeks), AutomationDelay(6, .months)] {
                #expect(AutomationDelay(parsing: AutomationPages.spelled(delay, locale: locale)) == delay, "\(locale) \(delay)")
            }
        }
    }
}
