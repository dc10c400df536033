#if canImport(Glibc)
import Glibc
#elseif canImport(Musl)
import Musl
#elseif canImport(Darwin)
import Darwin
#endif

/// The command line: `poshta-bench intake …`, `poshta-bench idle …` or `poshta-bench e2e …`.
public enum PoshtaBench {
    static let usage = """
        usage:
        \(IntakeOptions.usage)
        \(IdleOptions.usage)
        \(E2EOptions.usage)

        intake: C sessions send N messages of about BYTES from a@shop.example to b@example.net,
                a new connection per message unless --reuse; prints throughput and DATA→250 latency.
                --starttls: STARTTLS and a TLS handshake (no certificate check) on each connection,
                then EHLO again (and AUTH PLAIN with --auth); also prints handshakes/s and their latency.
        idle:   opens N connections (greeting + EHLO each), holds them, prints the server's RSS.
        e2e:    starts its own SMTP sink (127.0.0.1:2627), sends N messages like intake to the MTA
                under test and waits until they all arrived at the sink (or --timeout, default 120 s);
                prints end-to-end msgs/s, the queue's peak seen from outside, outbound connections.
        """

    /// Runs the command in `arguments` (without the program name); returns the exit status.
    public static func main(_ arguments: [String]) -> Int32 {
        guard let mode = arguments.first else {
            printError(usage)
            return 2
        }
        do {
            switch mode {
            case "intake":
                let options = try IntakeOptions(arguments: Array(arguments.dropFirst()))
                let report = try IntakeBenchmark.run(options)
                print(options.json ? report.json : report.text)
                return report.stats.accepted > 0 ? 0 : 1
            case "idle":
                let options = try IdleOptions(arguments: Array(arguments.dropFirst()))
                let report = try IdleBenchmark.run(options)
                print(options.json ? report.json : report.text)
                return report.ready > 0 ? 0 : 1
            case "e2e":
                let options = try E2EOptions(arguments: Array(arguments.dropFirst()))
                let report = try E2EBenchmark.run(options)
                print(options.json ? report.json : report.text)
                return report.complete ? 0 : 1
            case "-h", "--help", "help":
                print(usage)
                return 0
            default:
                throw UsageError(description: "unknown mode '\(mode)'")
            }
        } catch let error as UsageError {
            printError("poshta-bench: \(error)\n\n\(usage)")
            return 2
        } catch {
            printError("poshta-bench: \(error)")
            return 1
        }
    }
}

/// Writes `text` and a newline to standard error.
func printError(_ text: String) {
    var standardError = StandardError()
    print(text, to: &standardError)
}

/// Standard error as a `TextOutputStream`.
struct StandardError: TextOutputStream {
    mutating func write(_ string: String) {
        writeToStandardError(string)
    }
}

/// Writes `text` as is to file descriptor 2.
func writeToStandardError(_ text: String) {
    _ = text.withCString { write(2, $0, strlen($0)) }
}
