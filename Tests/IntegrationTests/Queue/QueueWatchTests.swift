import Foundation
import PoshtaTestSupport
import Testing

/// `poshta queue watch` in a real terminal: tmux runs it in a detached
/// pane of its own server (its own socket), the test reads the screen with
/// capture-pane, and types q.
@Suite("poshta queue watch in a real terminal (tmux)")
struct QueueWatchTests {
    private func tmux(_ socket: String, _ arguments: [String]) async throws -> ExternalProcess.Result {
        try await ExternalProcess.run("tmux", ["-L", socket] + arguments, timeout: .seconds(10))
    }

    /// The pane's text once it contains `text` (bounded wait).
    private func screen(_ socket: String, containing text: String) async throws -> String {
        let deadline = ContinuousClock.now + .seconds(15)
        var screen = ""
        while ContinuousClock.now < deadline {
            screen = try await tmux(socket, ["capture-pane", "-p", "-t", "watch"]).output
            if screen.contains(text) { return screen }
            try await Task.sleep(for: .milliseconds(100))
        }
        Issue.record("the screen never showed \"\(text)\":\n\(screen)")
        return screen
    }

    @Test("shows the counts by state and destination, refreshes them, and quits on q")
    func watch() async throws {
        let daemon = try await DeliveryFixture.daemon("suspended = true")
        for recipient in ["ana@gmail.com", "bo@gmail.com"] {
            try await DeliveryFixture.submit(to: daemon, to: [recipient])
        }
        let socket = "poshta-watch-\(UUID().uuidString.prefix(8))"
        let command = [
            DaemonProcess.binary, "queue", "watch", "--config", daemon.configurationFile, "--admin",
            try await daemon.adminURL(),
        ].joined(separator: " ")
        // Started through Python, which closes every other descriptor in
        // its child: the tmux server outlives the call and would otherwise
        // hold open the write ends of pipes (ours and those of tests running
        // beside us) that Foundation's Process lets children inherit.
        let started = try await ExternalProcess.run(
            "/usr/bin/python3",
            [
                "-c",
                "import subprocess, sys; sys.exit(subprocess.run(sys.argv[1:], stdin=subprocess.DEVNULL, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode)",
                "tmux", "-L", socket, "new-session", "-d", "-x", "120", "-y", "40", "-s", "watch", command,
            ], timeout: .seconds(10))
        #expect(started.status == 0, "\(started.error)")
        defer { Task { [socket] in _ = try? await ExternalProcess.run("tmux", ["-L", socket, "kill-server"]) } }

        let first = try await screen(socket, containing: "messages: 2")
        #expect(first.contains("poshta queue watch — http://127.0.0.1:"))
        #expect(first.contains("recipients: queued 2, deferred 0, active 0, hold 0") || first.contains("deferred 2"))
        #expect(first.contains("gmail.com"))
        #expect(first.contains("last minute: received 2"))

        try await DeliveryFixture.submit(to: daemon, to: ["cy@example.net"])
        let second = try await screen(socket, containing: "messages: 3")
        #expect(second.contains("example.net"))
        #expect(second.contains("last minute: received 3"))

        _ = try await tmux(socket, ["send-keys", "-t", "watch", "q"])
        let deadline = ContinuousClock.now + .seconds(10)
        var running = true
        while running, ContinuousClock.now < deadline {
            running = try await tmux(socket, ["has-session", "-t", "watch"]).status == 0
            if running { try await Task.sleep(for: .milliseconds(100)) }
        }
        #expect(!running, "watch did not quit on q")
        try await daemon.stop()
    }
}
