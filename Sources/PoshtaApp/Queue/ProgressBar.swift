import Foundation

/// `delete [##########----------]  5000/10000` on standard error, redrawn
/// in place — only when standard error is a terminal, so that scripts and
/// logs get the summary line alone.
struct ProgressBar {
    let label: String
    let total: Int
    let enabled: Bool

    init(label: String, total: Int, enabled: Bool) {
        self.label = label
        self.total = total
        self.enabled = enabled && isatty(2) == 1
    }

    func update(done: Int) {
        guard enabled, total > 0 else { return }
        let width = 30
        let filled = width * done / total
        let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
        var standardError = StandardError()
        print("\r\(label) [\(bar)] \(done)/\(total)", terminator: "", to: &standardError)
    }

    func finish() {
        guard enabled, total > 0 else { return }
        var standardError = StandardError()
        print("", to: &standardError)
    }
}
