#if canImport(Glibc)
import Glibc
#endif
import Testing

@testable import PoshtaBenchKit

/// Percentiles, formatting, /proc parsing and argument handling.
@Suite struct FiguresTests {
    @Test func nearestRankPercentiles() throws {
        let sample = (1...100).map { UInt64($0) * 1_000_000 }  // 1…100 ms
        let summary = try #require(LatencySummary(nanoseconds: sample.shuffled()))
        #expect(summary.p50 == 50)
        #expect(summary.p90 == 90)
        #expect(summary.p99 == 99)
        #expect(summary.max == 100)
        #expect(summary.mean == 50.5)
        #expect(LatencySummary(nanoseconds: []) == nil)
        let one = try #require(LatencySummary(nanoseconds: [2_500_000]))
        #expect(one.p50 == 2.5 && one.p99 == 2.5)
    }

    @Test func fixedDecimals() {
        #expect(fixed(3.14159, 2) == "3.14")
        #expect(fixed(0.005, 3) == "0.005")
        #expect(fixed(2.0, 1) == "2.0")
        #expect(fixed(1234.5, 0) == "1235")
        #expect(fixed(-1.25, 1) == "-1.3")
        #expect(fixed(0.04, 3) == "0.040")
    }

    @Test func jsonIsOneLineAndEscaped() {
        var object = JSONObject()
        object["a"] = .int(1)
        object["b"] = .string("say \"hi\"\n")
        object["c"] = .array([.number(1.5, digits: 2), .null, .bool(true)])
        #expect(object.encoded == #"{"a":1,"b":"say \"hi\"\n","c":[1.50,null,true]}"#)
    }

    @Test func procStatusParsing() throws {
        let status = "Name:\tposhta\nVmPeak:\t  900000 kB\nVmHWM:\t   40960 kB\nVmRSS:\t   20480 kB\n"
        let memory = try #require(ProcessMemory(status: status))
        #expect(memory.peakKB == 40960)
        #expect(memory.currentKB == 20480)
        #expect(ProcessMemory(status: "Name:\tkthreadd\n") == nil)
    }

    @Test func procStatParsing() throws {
        let line = "1234 (cleanup (x)) S 1000 1234 1234 0 -1 4194560 100 0 0 0 25 15 3 2 20 0 1 0 100 4000000 500"
        let stat = try #require(ProcessStat(stat: line))
        #expect(stat.parent == 1000)
        #expect(stat.ownTicks == 40)
        #expect(stat.reapedChildrenTicks == 5)
    }

    @Test func ownProcessIsReadable() throws {
        #if os(Linux)
        let memory = try #require(ProcessMemory(pid: getpid()))
        #expect(memory.currentKB > 0)
        #expect(processTreeCPUSeconds(pid: getpid()) != nil)
        #expect(processTreeCPUSeconds(pid: 1) != nil)
        #expect(MachineCPU() != nil)
        #endif
        #expect(loadAverages().count == 3)
    }

    @Test func targets() {
        #expect(Target("127.0.0.1:2527") == Target("127.0.0.1:2527"))
        #expect(Target("127.0.0.1:2527")?.port == 2527)
        #expect(Target("[::1]:25")?.host == "::1")
        #expect(Target("[::1]:25")?.description == "[::1]:25")
        #expect(Target("localhost") == nil)
        #expect(Target(":25") == nil)
        #expect(Target("host:99999") == nil)
    }

    @Test func intakeOptions() throws {
        let options = try IntakeOptions(arguments: [
            "--target", "127.0.0.1:2600", "--messages", "100", "--sessions=5", "--size", "2048", "--reuse", "--json",
        ])
        #expect(options.messages == 100)
        #expect(options.sessions == 5)
        #expect(options.size == 2048)
        #expect(options.reuse && options.json && options.pipelining)
        #expect(options.timeLimit == 120)
        #expect(options.pid == nil)
        #expect(throws: UsageError.self) { try IntakeOptions(arguments: ["--target", "x:1"]) }
        #expect(throws: UsageError.self) {
            try IntakeOptions(arguments: ["--target", "x:1", "--messages", "1", "--bogus"])
        }
        #expect(throws: UsageError.self) {
            try IntakeOptions(arguments: ["--target", "x:1", "--messages", "0"])
        }
    }

    @Test func base64MatchesRFC4648() {
        #expect(base64(Array("".utf8)) == "")
        #expect(base64(Array("f".utf8)) == "Zg==")
        #expect(base64(Array("fo".utf8)) == "Zm8=")
        #expect(base64(Array("foo".utf8)) == "Zm9v")
        #expect(base64(Array("foobar".utf8)) == "Zm9vYmFy")
        // RFC 4616's example: NUL tim NUL tanstaaftanstaaf
        #expect(Credentials(user: "tim", password: "tanstaaftanstaaf").plainResponse == "AHRpbQB0YW5zdGFhZnRhbnN0YWFm")
    }

    @Test func starttlsAndAuthOptions() throws {
        let base = ["--target", "127.0.0.1:2602", "--messages", "10"]
        #expect(try IntakeOptions(arguments: base).starttls == false)
        #expect(try IntakeOptions(arguments: base + ["--starttls"]).starttls)
        // AUTH only over TLS; USER:PASSWORD-FILE with a readable, non-empty file.
        #expect(throws: UsageError.self) { try IntakeOptions(arguments: base + ["--auth", "u:/etc/hostname"]) }
        #expect(throws: UsageError.self) { try IntakeOptions(arguments: base + ["--starttls", "--auth", "nocolon"]) }
        #expect(throws: UsageError.self) {
            try IntakeOptions(arguments: base + ["--starttls", "--auth", "u:/nonexistent/password"])
        }
        let file = "/tmp/poshta-bench-test-\(IntakeBenchmark.randomRunID()).pw"
        #expect(writeFile(file, "pa:ss word\r\nsecond line\n"))
        defer { _ = unlink(file) }
        let options = try IntakeOptions(arguments: base + ["--starttls", "--auth", "a@shop.example:\(file)"])
        #expect(options.auth == Credentials(user: "a@shop.example", password: "pa:ss word"))
    }

    @Test func idleOptions() throws {
        let options = try IdleOptions(arguments: ["--target", "127.0.0.1:2600", "--pid", "42", "--hold", "2"])
        #expect(options.connections == 1000)
        #expect(options.pid == 42)
        #expect(options.hold == 2)
    }

    @Test func statsMerge() {
        var a = SessionStats()
        a.accepted = 2
        a.latencies = [1, 2]
        a.recordFailure("MAIL: 451 try later")
        var b = SessionStats()
        b.recordFailure("MAIL: 451 try later")
        b.recordFailure("connect: refused")
        b.lastEvent = 9
        a.merge(b)
        #expect(a.failed == 3)
        #expect(a.failureReasons["MAIL: 451 try later"] == 2)
        #expect(a.firstFailures.count == 3)
        #expect(a.latencies.count == 2)
        #expect(a.lastEvent == 9)
    }
}
