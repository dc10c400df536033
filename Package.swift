// swift-tools-version:6.1
import PackageDescription

let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "Poshta",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "poshta", targets: ["poshta"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
        .package(url: "https://github.com/apple/swift-crypto.git", from: "4.5.2"),
        .package(url: "https://github.com/apple/swift-certificates.git", from: "1.21.1"),
        .package(url: "https://github.com/groue/GRDB.swift.git", from: "7.10.0"),
        .package(url: "https://github.com/LebJe/TOMLKit.git", exact: "0.6.0"),
        .package(url: "https://github.com/apple/swift-argument-parser.git", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log.git", from: "1.16.2"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle.git", from: "2.13.0"),
        .package(url: "https://github.com/apple/swift-metrics.git", from: "2.13.0"),
        .package(url: "https://github.com/swift-server/swift-prometheus.git", from: "2.4.1"),
        .package(url: "https://github.com/hummingbird-project/hummingbird.git", from: "2.28.1"),
        // Exact: Templates compiles swift-mustache's parsed templates (CompiledTemplates.swift)
        // and must render as this version does; TemplatesTests compare the two.
        .package(url: "https://github.com/hummingbird-project/swift-mustache.git", exact: "2.1.1"),
    ],
    targets: [
        // Protocol values: commands, replies, paths, framing. No I/O.
        .target(
            name: "SMTPProtocol",
            dependencies: [.product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: swiftSettings
        ),
        // Messages as values: header fields, RFC 2047 words, quoted-printable
        // and base64, content types, the MIME parser and builder. No I/O.
        .target(name: "MIME", swiftSettings: swiftSettings),
        // DKIM signatures (RFC 6376, RFC 8463): canonicalization, signing, keys, DNS records.
        .target(
            name: "DKIM",
            dependencies: [
                "MIME", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ],
            swiftSettings: swiftSettings),
        // Durable spool: segment files, group commit, SQLite index, recovery.
        .target(
            name: "Spool",
            dependencies: [
                .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // Submission users: the users file, password hashes, the AUTH throttle.
        .target(
            name: "Accounts",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // DNS messages as values: RFC 1035 wire format, encode and decode. No I/O.
        .target(name: "DNS", swiftSettings: swiftSettings),
        // Like Postfix cleanup(8): finish the message and put it on the spool.
        .target(
            name: "Intake",
            dependencies: [
                "SMTPProtocol", "MIME", "Spool", "DKIM",
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // Listeners, sessions, relay policy.
        .target(
            name: "SMTPServer",
            dependencies: [
                "SMTPProtocol", "Intake", "Accounts",
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // Queue manager, routes (capture, MX, relays), the SMTP client, the DNS
        // resolver, retries, bounces (DSN), per-destination limits.
        .target(
            name: "Delivery",
            dependencies: [
                "Spool", "SMTPProtocol", "DNS", "MIME", "DKIM",
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // A Hummingbird router served as a service of the daemon: the admin API, the unsubscribe page.
        .target(
            name: "HTTPListener",
            dependencies: [
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "HummingbirdTLS", package: "hummingbird"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings),
        // The public one-click unsubscribe page of the marketing mails.
        .target(
            name: "UnsubscribeWeb",
            dependencies: [
                "Automations", "HTTPListener", "ShopStore", "Templates",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings),
        // The web console: server-rendered pages for the shop owner and the sysadmin, behind a sign-in.
        .target(
            name: "AdminConsole",
            dependencies: [
                "Accounts", "Automations", "HTTPListener", "MIME", "Spool", "ShopStore", "ShopMail", "Templates",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Mustache", package: "swift-mustache"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // The admin HTTP API (queue, stats, /metrics) behind a bearer token, and the console beside it.
        .target(
            name: "AdminAPI",
            dependencies: [
                "AdminConsole", "Automations", "HTTPListener", "Spool", "ShopStore", "ShopMail", "SMTPProtocol",
                .product(name: "Hummingbird", package: "hummingbird"),
                .product(name: "Metrics", package: "swift-metrics"),
                .product(name: "Prometheus", package: "swift-prometheus"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // The shop's data: catalog, coupons, suppression list; the product rules.
        .target(
            name: "ShopStore",
            dependencies: [.product(name: "GRDB", package: "GRDB.swift")],
            swiftSettings: swiftSettings
        ),
        // Shop mails from Mustache templates: schemas, locale formatting, rendering.
        .target(
            name: "Templates",
            dependencies: [.product(name: "Mustache", package: "swift-mustache")],
            swiftSettings: swiftSettings
        ),
        // The shop's template messages made into finished mails on intake.
        // Marketing automations: which jobs the shop's events schedule and cancel.
        .target(
            name: "Automations",
            dependencies: ["ShopStore", .product(name: "Crypto", package: "swift-crypto")],
            swiftSettings: swiftSettings),
        .target(
            name: "ShopMail",
            dependencies: [
                "Automations", "Intake", "MIME", "SMTPProtocol", "ShopStore", "Templates",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        // TOML → each module's configuration, the service group, command logic.
        .target(
            name: "PoshtaApp",
            dependencies: [
                "SMTPProtocol", "Spool", "Intake", "SMTPServer", "Delivery", "Accounts", "MIME", "AdminAPI", "Templates", "ShopStore", "ShopMail",
                "Automations", "UnsubscribeWeb", "DKIM", "DNS", "AdminConsole", "HTTPListener",
                .product(name: "HummingbirdCore", package: "hummingbird"),
                .product(name: "TOMLKit", package: "TOMLKit"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "UnixSignals", package: "swift-service-lifecycle"),
                .product(name: "X509", package: "swift-certificates"),
                .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOHTTP1", package: "swift-nio"),
                .product(name: "Logging", package: "swift-log"),
                .product(name: "ServiceLifecycle", package: "swift-service-lifecycle"),
            ],
            swiftSettings: swiftSettings
        ),
        // @main and argument-parser wiring only.
        .executableTarget(
            name: "poshta",
            dependencies: [
                "PoshtaApp", "Spool", "Accounts",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: swiftSettings
        ),
        // Helpers for tests: a raw SMTP client, a running daemon, temp folders.
        .target(
            name: "PoshtaTestSupport",
            dependencies: [
                "PoshtaApp", "SMTPProtocol", "Spool", "Accounts", "DNS",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "SMTPProtocolTests",
            dependencies: ["SMTPProtocol", .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: swiftSettings),
        .testTarget(name: "MIMETests", dependencies: ["MIME", "PoshtaTestSupport"], swiftSettings: swiftSettings),
        .testTarget(
            name: "ShopStoreTests", dependencies: ["ShopStore", "PoshtaTestSupport"], swiftSettings: swiftSettings),
        .testTarget(
            name: "TemplatesTests",
            dependencies: [
                "Templates", "MIME", "PoshtaTestSupport", .product(name: "Mustache", package: "swift-mustache"),
            ],
            exclude: ["EngineEdgeCases"], swiftSettings: swiftSettings),
        .testTarget(name: "DNSTests", dependencies: ["DNS"], swiftSettings: swiftSettings),
        .testTarget(
            name: "AutomationsTests", dependencies: ["Automations", "ShopStore", "PoshtaTestSupport"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "DKIMTests",
            dependencies: [
                "DKIM", "MIME", "PoshtaTestSupport", .product(name: "Crypto", package: "swift-crypto"),
                .product(name: "_CryptoExtras", package: "swift-crypto"),
            ], exclude: ["Fixtures"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "MarketingTests",
            dependencies: [
                "ShopMail", "Automations", "ShopStore", "Intake", "Spool", "Templates", "MIME", "PoshtaTestSupport",
                .product(name: "Logging", package: "swift-log"),
            ],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "DeliveryTests",
            dependencies: [
                "Delivery", "DNS", "MIME", "SMTPProtocol", "Spool", "PoshtaTestSupport",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
            ],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "AdminConsoleTests", dependencies: ["AdminConsole", "Automations", "Accounts"], swiftSettings: swiftSettings),
        .testTarget(
            name: "AccountsTests",
            dependencies: ["Accounts", "PoshtaTestSupport", .product(name: "NIOCore", package: "swift-nio")],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "IntakeTests", dependencies: ["Intake", "PoshtaTestSupport"], swiftSettings: swiftSettings),
        .testTarget(name: "SpoolTests", dependencies: ["Spool", "PoshtaTestSupport"], swiftSettings: swiftSettings),
        .testTarget(
            name: "PoshtaAppTests",
            dependencies: ["PoshtaApp", "AdminAPI", "Automations", "Spool", "ShopStore", "PoshtaTestSupport"],
            swiftSettings: swiftSettings),
        .testTarget(
            name: "IntegrationTests",
            dependencies: ["PoshtaApp", "PoshtaTestSupport", "Spool", "MIME", "SMTPProtocol", "ShopStore", "Automations", "DKIM", "Accounts"],
            swiftSettings: swiftSettings
        ),
    ]
)
