// swift-tools-version:6.1
import PackageDescription

// The benchmark lives apart from Poshta's package: it depends on SwiftNIO and
// swift-nio-ssl (for --starttls) only, builds into its own .build, and drives any SMTP
// server over loopback.
let swiftSettings: [SwiftSetting] = [
    .enableUpcomingFeature("ExistentialAny"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let package = Package(
    name: "PoshtaBench",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "poshta-bench", targets: ["poshta-bench"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-nio.git", from: "2.101.2"),
        .package(url: "https://github.com/apple/swift-nio-ssl.git", from: "2.37.6"),
    ],
    targets: [
        // Load generator, measurements and reports; no `main`.
        .target(
            name: "PoshtaBenchKit",
            dependencies: [
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: swiftSettings
        ),
        // Command-line entry point only.
        .executableTarget(
            name: "poshta-bench",
            dependencies: ["PoshtaBenchKit"],
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "PoshtaBenchKitTests",
            dependencies: [
                "PoshtaBenchKit",
                .product(name: "NIOCore", package: "swift-nio"),
                .product(name: "NIOPosix", package: "swift-nio"),
                .product(name: "NIOTLS", package: "swift-nio"),
                .product(name: "NIOSSL", package: "swift-nio-ssl"),
            ],
            swiftSettings: swiftSettings
        ),
    ],
    swiftLanguageModes: [.v6]
)
