import Foundation
import Spool

/// `poshta queue watch`: the stats redrawn every `interval` seconds on the
/// terminal's alternate screen, like top(1), until q or Ctrl-C.
struct QueueWatch {
    let source: QueueSource
    let interval: Double

    func run() async throws -> Int32 {
        guard isatty(1) == 1 else {
            Commands.printError("poshta queue watch: standard output is not a terminal; use `poshta queue stats` in scripts")
            return 1
        }
        let terminal = RawTerminal()
        let screen = TerminalScreen()
        screen.enter()
        defer {
            screen.leave()
            terminal?.restore()
        }
        while true {
            let size = TerminalScreen.size()
            let lines: [String]
            do {
                lines = Self.render(try await source.stats(), source: source.name, size: size)
            } catch {
                lines = [Self.header(source.name, time: Date.now.timeIntervalSince1970), "", "cannot read the queue: \(error)"]
            }
            screen.draw(lines, size: size)
            let quit: Bool
            if let terminal { quit = await terminal.waitForQuit(seconds: interval) } else { quit = await Self.sleep(interval) }
            if quit { return 0 }
        }
    }

    /// The screen: a header, then the figures of `poshta queue stats`, cut to the terminal.
    static func render(_ stats: QueueStats, source: String, size: (rows: Int, columns: Int)) -> [String] {
        let lines = [header(source, time: stats.time), ""] + QueueText.stats(stats).split(separator: "\n").map(String.init)
        return lines.prefix(max(1, size.rows)).map { String($0.prefix(max(1, size.columns))) }
    }

    static func header(_ source: String, time: Double) -> String {
        "poshta queue watch — \(source) — \(QueueText.timestamp(time)) UTC — q quits"
    }

    /// Without a terminal to read keys from, only Ctrl-C (SIGINT) ends it.
    private static func sleep(_ seconds: Double) async -> Bool {
        try? await Task.sleep(for: .milliseconds(Int(seconds * 1000)))
        return false
    }
}

/// Standard input in raw mode (no echo, no line buffering, Ctrl-C as a
/// byte), restored on `restore()`. Nil when standard input is not a terminal.
final class RawTerminal {
    private var original = termios()

    init?() {
        guard isatty(0) == 1, tcgetattr(0, &original) == 0 else { return nil }
        var raw = original
        raw.c_lflag &= ~tcflag_t(ICANON | ECHO | ISIG)
        tcsetattr(0, TCSANOW, &raw)
    }

    func restore() {
        tcsetattr(0, TCSANOW, &original)
    }

    /// Waits up to `seconds` for a key; true for q, Q, Ctrl-C or end of input.
    func waitForQuit(seconds: Double) async -> Bool {
        let deadline = ContinuousClock.now + .milliseconds(Int(seconds * 1000))
        while ContinuousClock.now < deadline {
            var descriptor = pollfd(fd: 0, events: Int16(POLLIN), revents: 0)
            // Never block: the task runs on an event loop thread.
            if poll(&descriptor, 1, 0) > 0 {
                var byte: UInt8 = 0
                let count = read(0, &byte, 1)
                if count <= 0 || byte == UInt8(ascii: "q") || byte == UInt8(ascii: "Q") || byte == 3 { return true }
                continue
            }
            try? await Task.sleep(for: .milliseconds(50))
        }
        return false
    }
}

/// The alternate screen, cleared and redrawn whole each time.
struct TerminalScreen {
    func enter() { write("\u{1B}[?1049h\u{1B}[?25l") }
    func leave() { write("\u{1B}[?25h\u{1B}[?1049l") }

    func draw(_ lines: [String], size: (rows: Int, columns: Int)) {
        write("\u{1B}[H\u{1B}[2J" + lines.joined(separator: "\r\n"))
    }

    /// Rows and columns of the terminal (24×80 when it does not say).
    static func size() -> (rows: Int, columns: Int) {
        var window = winsize()
        guard ioctl(1, UInt(TIOCGWINSZ), &window) == 0, window.ws_row > 0, window.ws_col > 0 else { return (24, 80) }
        return (Int(window.ws_row), Int(window.ws_col))
    }

    private func write(_ text: String) {
        FileHandle.standardOutput.write(Data(text.utf8))
    }
}
