// Dotted field paths as Kubernetes prints them: `spec.containers[0].ports[1].containerPort`, `data[key]`.
extension String {
    func child(_ name: String) -> String { isEmpty ? name : "\(self).\(name)" }
    func index(_ position: Int) -> String { "\(self)[\(position)]" }
    func key(_ key: String) -> String { "\(self)[\(key)]" }
}
