import Bus
import JSONCore

/// The objects every durable-write benchmark writes, the same size for Kubus and etcd.
enum Payloads {
    static let namespace = "bench"
    private static let data = String(repeating: "x", count: 64)

    /// A ConfigMap of about 230 bytes as JSON.
    static func configMap(name: String, namespace: String = namespace) -> String {
        #"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"\#(name)","namespace":"\#(namespace)","#
            + #""uid":"00000000-0000-0000-0000-000000000000","creationTimestamp":"2025-01-01T00:00:00Z"},"#
            + #""data":{"key":"\#(data)"}}"#
    }

    /// The store key of a ConfigMap.
    static func key(name: String, namespace: String = namespace) -> String {
        "/registry/ConfigMap/\(namespace)/\(name)"
    }

    /// A store `write` request: put the ConfigMap, as the api's create would (with a request id).
    static func storeWrite(name: String) -> [UInt8] {
        var out = Array(#"{"key":"#.utf8)
        JSONText.appendString(key(name: name), to: &out)
        out += Array(#","op":"put","value":"#.utf8)
        JSONText.appendString(configMap(name: name), to: &out)
        out += Array(#","expect":"absent","requestID":"#.utf8)
        JSONText.appendString(name, to: &out)
        out += Array("}".utf8)
        return out
    }

    /// An api `create` request for a ConfigMap (the api adds uid, timestamps and resourceVersion).
    static func apiCreate(name: String, namespace: String = "default") -> [UInt8] {
        Array(
            #"{"object":{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"\#(name)","namespace":"\#(namespace)"},"data":{"key":"\#(data)"}}}"#
                .utf8)
    }
}
