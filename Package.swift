// swift-tools-version:6.1
import PackageDescription

/// Strict concurrency on every target, from one place.
let swiftSettings: [SwiftSetting] = [
    .swiftLanguageMode(.v6),
    .enableUpcomingFeature("ExistentialAny"),
    // Honest modules: a file sees only the members of modules it imports, and an import is internal unless
    // written `public import` (a module's public API names what it re-exposes).
    .enableUpcomingFeature("MemberImportVisibility"),
    .enableUpcomingFeature("InternalImportsByDefault"),
]

let log = Target.Dependency.product(name: "Logging", package: "swift-log")
let argumentParser = Target.Dependency.product(name: "ArgumentParser", package: "swift-argument-parser")
let lifecycle = Target.Dependency.product(name: "ServiceLifecycle", package: "swift-service-lifecycle")
let nioCore = Target.Dependency.product(name: "NIOCore", package: "swift-nio")
let nioPosix = Target.Dependency.product(name: "NIOPosix", package: "swift-nio")

let package = Package(
    name: "kubus",
    platforms: [.macOS(.v14)],
    products: [
        .executable(name: "kubus-bus", targets: ["kubus-bus"]),
        .executable(name: "kubus-store", targets: ["kubus-store"]),
        .executable(name: "kubus-api", targets: ["kubus-api"]),
        .executable(name: "kubus-scheduler", targets: ["kubus-scheduler"]),
        .executable(name: "kubus-kubelet", targets: ["kubus-kubelet"]),
        .executable(name: "kubus-shim", targets: ["kubus-shim"]),
        .executable(name: "kubusctl", targets: ["kubusctl"]),
        .executable(name: "kubus-tap", targets: ["kubus-tap"]),
        .executable(name: "kubus-pub", targets: ["kubus-pub"]),
        .executable(name: "kubus-bench", targets: ["kubus-bench"]),
        .executable(name: "kubus-fuzz", targets: ["kubus-fuzz"]),
        .executable(name: "kubus-up", targets: ["kubus-up"]),
        .executable(name: "kubus-controller", targets: ["kubus-controller"]),
        .executable(name: "kubus-proxy", targets: ["kubus-proxy"]),
        .executable(name: "kubus-netpol", targets: ["kubus-netpol"]),
        .executable(name: "kubus-ingress", targets: ["kubus-ingress"]),
        .executable(name: "kubus-dns", targets: ["kubus-dns"]),
        .executable(name: "kubus", targets: ["kubus"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/apple/swift-log", from: "1.16.2"),
        .package(url: "https://github.com/apple/swift-collections", from: "1.6.0"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
        .package(url: "https://github.com/swift-server/swift-service-lifecycle", from: "2.13.0"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/groue/GRDB.swift", from: "7.10.0"),
        // SwiftNIO for the edge servers of cluster networking: DNS, the userspace service proxy.
        .package(url: "https://github.com/apple/swift-nio", from: "2.101.2"),
        // Latency percentiles of the load tools from a histogram, not from sorted arrays of every sample.
        .package(url: "https://github.com/HdrHistogram/hdrhistogram-swift", from: "0.2.0"),
    ],
    targets: [
        // MARK: Shared libraries
        .systemLibrary(
            name: "CZeroMQ",
            path: "Shared/CZeroMQ",
            pkgConfig: "libzmq",
            providers: [.apt(["libzmq3-dev"])]
        ),
        // JSON text primitives (the string escaper) shared by Bus and Schema.
        .target(
            name: "JSONCore",
            path: "Shared/JSONCore",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Bus",
            dependencies: ["JSONCore", "CZeroMQ"],
            path: "Shared/Bus",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Schema",
            dependencies: ["JSONCore", .product(name: "Yams", package: "Yams")],
            path: "Shared/Schema",
            exclude: ["Spec"],
            swiftSettings: swiftSettings
        ),
        // The messages of the bus services (api, store, kubelet), apart from the Kubernetes kinds.
        .target(
            name: "Wire",
            dependencies: ["JSONCore", "Schema"],
            path: "Shared/Wire",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Client",
            dependencies: [
                "Wire",
                "Bus", "Schema", log, .product(name: "DequeModule", package: "swift-collections"),
                .product(name: "HeapModule", package: "swift-collections"),
            ],
            path: "Shared/Client",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "ServiceKit",
            dependencies: ["Bus", "Client", "Schema", log, argumentParser],
            path: "Shared/ServiceKit",
            swiftSettings: swiftSettings
        ),

        // MARK: Services: a library with the logic, a thin executable
        .target(
            name: "Broker",
            dependencies: [
                "JSONCore",
                "Bus", log, lifecycle, .product(name: "DequeModule", package: "swift-collections"), "CZeroMQ",
            ],
            path: "Services/Bus/Broker",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "BusCLI",
            dependencies: ["Broker", "Bus", "ServiceKit", argumentParser, lifecycle, log],
            path: "Services/Bus/CLI",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "kubus-bus",
            dependencies: ["BusCLI", argumentParser],
            path: "Services/Bus/Main",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Store",
            dependencies: [
                "JSONCore", "Wire",
                "Bus", "Schema", log, lifecycle, .product(name: "GRDB", package: "GRDB.swift"),
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Services/Store/Store",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "StoreCLI",
            dependencies: ["Store", "ServiceKit", argumentParser, lifecycle],
            path: "Services/Store/CLI",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "kubus-store",
            dependencies: ["StoreCLI", argumentParser],
            path: "Services/Store/Main",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "APIServer",
            dependencies: [
                "JSONCore", "Wire", "Bus", "Schema", "Client", log, lifecycle,
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Services/API/APIServer",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "APICLI",
            dependencies: ["APIServer", "ServiceKit", argumentParser, lifecycle, "Schema"],
            path: "Services/API/CLI",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "kubus-api",
            dependencies: ["APICLI", argumentParser],
            path: "Services/API/Main",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Scheduler",
            dependencies: ["Bus", "Schema", "Client", log, lifecycle],
            path: "Services/Scheduler/Scheduler",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "SchedulerCLI",
            dependencies: ["Scheduler", "Bus", "Client", "ServiceKit", argumentParser, lifecycle],
            path: "Services/Scheduler/CLI",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "kubus-scheduler",
            dependencies: ["SchedulerCLI", argumentParser],
            path: "Services/Scheduler/Main",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Kubelet",
            dependencies: [
                "Wire",
                "Bus", "Schema", "Client", log, lifecycle, nioCore, nioPosix,
                .product(name: "Yams", package: "Yams"), .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Services/Kubelet/Kubelet",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "kubus-kubelet",
            dependencies: ["KubeletCLI"],
            path: "Services/Kubelet/Main",
            swiftSettings: swiftSettings
        ),
        // The kubelet's command line (options, runtime choice, simulated nodes' flags), apart from its logic.
        .target(
            name: "KubeletCLI",
            dependencies: ["Kubelet", "Bus", "Client", "ServiceKit", argumentParser, lifecycle, "Schema", log],
            path: "Services/Kubelet/CLI",
            swiftSettings: swiftSettings
        ),
        // The per-container shim of the process runtime, in C: it forks, unshares and mounts, which a
        // multi-threaded Swift process cannot do safely (see docs/architecture.md, Runtimes).
        .executableTarget(
            name: "kubus-shim",
            path: "Services/Kubelet/Shim"
        ),
        .target(
            name: "KubusCtl",
            dependencies: ["Wire", "Bus", "Schema", "Client", argumentParser, nioCore, nioPosix],
            path: "Services/CLI/KubusCtl",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "kubusctl",
            dependencies: ["KubusCtl"],
            path: "Services/CLI/Main",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "kubus-tap",
            dependencies: ["JSONCore", "Bus", "ServiceKit", argumentParser],
            path: "Services/Tools/Tap",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "kubus-pub",
            dependencies: ["Bus", "ServiceKit", "LoadKit", argumentParser],
            path: "Services/Tools/Pub",
            swiftSettings: swiftSettings
        ),
        // libFuzzer targets for the decoders of the wire and of user input (docs/fuzzing.md); a plain build replays
        // inputs: `kubus-fuzz TARGET FILE...`.
        .executableTarget(
            name: "kubus-fuzz",
            dependencies: ["Bus", "Schema", "DNS"],
            path: "Services/Tools/Fuzz",
            exclude: ["corpus"],
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "kubus-bench",
            dependencies: [
                "JSONCore", "Wire", "Bus", "Schema", "Client", "ServiceKit", "LoadKit", "Store", "CZeroMQ",
                "Controllers", "Soak", "UpKit", argumentParser,
            ],
            path: "Services/Tools/Bench",
            swiftSettings: swiftSettings
        ),
        // Load generation and latency statistics for the load tools (kubus-pub, kubus-bench), linked by no service.
        .target(
            name: "LoadKit",
            dependencies: ["Bus", .product(name: "Histogram", package: "hdrhistogram-swift")],
            path: "Services/Tools/LoadKit",
            swiftSettings: swiftSettings
        ),
        // Pod churn of every kind of failure, for the soak test and `kubus-bench soak`.
        .target(
            name: "Soak",
            dependencies: ["Bus", "Schema", "Client"],
            path: "Services/Tools/Soak",
            swiftSettings: swiftSettings
        ),
        // kubus-up's fork server (the zygote): C, because it forks before main, while the process is one thread.
        .target(
            name: "CZygote",
            path: "Services/Tools/Zygote"
        ),
        .target(
            name: "UpKit",
            dependencies: ["Bus", "CZygote", log, lifecycle, .product(name: "Yams", package: "Yams")],
            path: "Services/Tools/UpKit",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "UpCLI",
            dependencies: ["UpKit", "Bus", "Client", argumentParser, lifecycle, log],
            path: "Services/Tools/UpCLI",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "kubus-up",
            dependencies: ["UpCLI", argumentParser],
            path: "Services/Tools/Up",
            swiftSettings: swiftSettings
        ),

        // MARK: Cluster networking
        .target(
            name: "Proxy",
            dependencies: ["Bus", "Schema", "Client", log, lifecycle, nioCore, nioPosix],
            path: "Services/Proxy/Proxy",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "ProxyCLI",
            dependencies: ["Proxy", "Bus", "Client", "Schema", "ServiceKit", argumentParser, lifecycle, nioCore],
            path: "Services/Proxy/CLI",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "kubus-proxy",
            dependencies: ["ProxyCLI", argumentParser],
            path: "Services/Proxy/Main",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "NetworkPolicyCLI",
            dependencies: ["Proxy", "Bus", "Client", "ServiceKit", argumentParser, lifecycle],
            path: "Services/Proxy/NetworkPolicyCLI",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "kubus-netpol",
            dependencies: ["NetworkPolicyCLI", argumentParser],
            path: "Services/Proxy/NetworkPolicyMain",
            swiftSettings: swiftSettings
        ),

        // MARK: Cluster DNS: the codec, the zone from informers, the SwiftNIO server
        .target(
            name: "DNS",
            dependencies: ["Bus", "Schema", "Client", log, lifecycle, nioCore, nioPosix],
            path: "Services/DNS/DNS",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "DNSCLI",
            dependencies: ["DNS", "Bus", "Client", "ServiceKit", argumentParser, lifecycle, log, "Schema", nioCore],
            path: "Services/DNS/CLI",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "kubus-dns",
            dependencies: ["DNSCLI", argumentParser],
            path: "Services/DNS/Main",
            swiftSettings: swiftSettings
        ),

        // MARK: Controllers: the framework, the controllers (one folder each), one executable picking one
        .target(
            name: "ControllerKit",
            dependencies: ["Bus", "Schema", "Client", log, lifecycle],
            path: "Services/Controllers/ControllerKit",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "Controllers",
            dependencies: ["Wire", "ControllerKit", "Schema", "Client", log],
            path: "Services/Controllers",
            exclude: ["ControllerKit", "CLI", "Main"],
            swiftSettings: swiftSettings
        ),
        .target(
            name: "ControllerCLI",
            dependencies: ["Controllers", "ControllerKit", "Bus", "Client", "ServiceKit", argumentParser, lifecycle],
            path: "Services/Controllers/CLI",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "kubus-controller",
            dependencies: ["ControllerCLI", argumentParser],
            path: "Services/Controllers/Main",
            swiftSettings: swiftSettings
        ),

        // MARK: Ingress: the controller for the class `kubus` and the nginx it configures
        .target(
            name: "Ingress",
            dependencies: ["Bus", "Schema", "Client", "ControllerKit", log, lifecycle],
            path: "Services/Ingress/Ingress",
            swiftSettings: swiftSettings
        ),
        .target(
            name: "IngressCLI",
            dependencies: [
                "Ingress", "ControllerKit", "Bus", "Client", "ServiceKit", argumentParser, lifecycle, "Schema",
            ],
            path: "Services/Ingress/CLI",
            swiftSettings: swiftSettings
        ),
        .executableTarget(
            name: "kubus-ingress",
            dependencies: ["IngressCLI", argumentParser],
            path: "Services/Ingress/Main",
            swiftSettings: swiftSettings
        ),

        // One binary hosting every service kubus-up runs (as busybox or hyperkube): run as `kubus-<name>` (argv[0],
        // how kubus-up starts it) or `kubus kubus-<name> ARGS`, so all the cluster's processes share its pages.
        .executableTarget(
            name: "kubus",
            dependencies: [
                "BusCLI", "StoreCLI", "APICLI", "SchedulerCLI", "KubeletCLI", "ControllerCLI", "ProxyCLI",
                "NetworkPolicyCLI", "DNSCLI", "IngressCLI", "UpCLI", "UpKit", argumentParser,
            ],
            path: "Services/Tools/Kubus",
            swiftSettings: swiftSettings
        ),

        // MARK: Tests
        // Testing seams, one per layer (as HummingbirdTesting): a broker, an in-memory store, the api in-process
        // with its event feed, controllers driven by the test.
        .target(
            name: "BusTesting", dependencies: ["Bus", "Broker", log], path: "Tests/Support/BusTesting",
            swiftSettings: swiftSettings),
        .target(
            name: "StoreTesting", dependencies: ["Wire", "Store", "Schema"], path: "Tests/Support/StoreTesting",
            swiftSettings: swiftSettings),
        .target(
            name: "APITesting",
            dependencies: ["Wire", "APIServer", "Store", "StoreTesting", "Bus", "Client", "Schema", log],
            path: "Tests/Support/APITesting", swiftSettings: swiftSettings),
        .target(
            name: "ControllerTesting", dependencies: ["Wire", "APITesting", "ControllerKit", "Client", "Schema", log],
            path: "Tests/Support/ControllerTesting", swiftSettings: swiftSettings),
        .testTarget(
            name: "BusTests", dependencies: ["Bus", "Broker", "BusTesting", "CZeroMQ"], path: "Tests/BusTests",
            swiftSettings: swiftSettings),
        .testTarget(
            name: "SchemaTests", dependencies: ["Schema", "JSONCore"], path: "Tests/SchemaTests",
            swiftSettings: swiftSettings),
        .testTarget(
            name: "StoreTests",
            dependencies: [
                "Wire",
                "Store", "StoreTesting", "Schema", "Bus", "BusTesting",
                .product(name: "GRDB", package: "GRDB.swift"),
            ], path: "Tests/StoreTests", swiftSettings: swiftSettings),
        .testTarget(
            name: "APIServerTests",
            dependencies: [
                "Wire", "APIServer", "APITesting", "Store", "StoreTesting", "Schema", "Bus", "BusTesting", log,
                .product(name: "Crypto", package: "swift-crypto"),
            ],
            path: "Tests/APIServerTests",
            swiftSettings: swiftSettings
        ),
        .testTarget(
            name: "ClientTests", dependencies: ["Client", "Schema", "Bus", "BusTesting", "APITesting", log],
            path: "Tests/ClientTests", swiftSettings: swiftSettings),
        .testTarget(
            name: "SchedulerTests", dependencies: ["Scheduler", "Schema"], path: "Tests/SchedulerTests",
            swiftSettings: swiftSettings),
        .testTarget(
            name: "KubeletTests",
            dependencies: ["Wire", "Kubelet", "KubeletCLI", "Schema", argumentParser, "Bus", "Client"],
            path: "Tests/KubeletTests",
            swiftSettings: swiftSettings),
        .testTarget(
            name: "DNSTests", dependencies: ["DNS", "Schema", nioCore, nioPosix], path: "Tests/DNSTests",
            swiftSettings: swiftSettings),
        .testTarget(name: "UpTests", dependencies: ["UpKit"], path: "Tests/UpTests", swiftSettings: swiftSettings),
        .testTarget(
            name: "LoadKitTests", dependencies: ["LoadKit", "Bus", "BusTesting"], path: "Tests/LoadKitTests",
            swiftSettings: swiftSettings),
        .testTarget(
            name: "ProxyTests", dependencies: ["Proxy", "Schema", nioCore, nioPosix], path: "Tests/ProxyTests",
            swiftSettings: swiftSettings),
        .testTarget(
            name: "KubusCtlTests", dependencies: ["KubusCtl", "Schema", "Bus", "Client", argumentParser],
            path: "Tests/KubusCtlTests",
            swiftSettings: swiftSettings),
        .testTarget(
            name: "ControllerTests",
            dependencies: [
                "ControllerKit", "ControllerTesting", "APITesting", "Controllers", "Schema", "Client", "Bus",
            ],
            path: "Tests/ControllerTests", swiftSettings: swiftSettings),
        .testTarget(
            name: "IngressTests",
            dependencies: [
                "Ingress", "Schema", "Client", "ControllerKit", "Controllers", "ControllerTesting", "APITesting",
            ],
            path: "Tests/IngressTests",
            swiftSettings: swiftSettings),
        .testTarget(
            name: "IntegrationTests",
            dependencies: ["ControllerTesting", "Wire", "Bus", "Schema", "Client", "Soak", "UpKit"],
            path: "Tests/IntegrationTests",
            // Read from the source tree by the tests that run them, not built.
            exclude: ["python"],
            swiftSettings: swiftSettings
        ),
    ]
)
