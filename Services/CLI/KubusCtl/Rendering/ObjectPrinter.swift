import Schema

/// What a writing command prints for each object: `kind/name <operation>`, or the object with `-o`.
enum ObjectPrinter {
    /// The text for stdout: `-o yaml|json` prints the object, `-o name` `kind/name`, else `kind/name operation`.
    static func print(_ object: JSONValue, info: KindInfo, operation: String, output: String?) throws(CtlError)
        -> String
    {
        switch output {
        case nil, "":
            return "\(ResourceName.slashed(info, object.name)) \(operation)\n"
        case "name":
            return ResourceName.slashed(info, object.name) + "\n"
        case "yaml":
            return Manifest.yaml(from: object)
        case "json":
            return PrettyJSON.format(object)
        default:
            if output!.hasPrefix("jsonpath=") {
                return try GetRenderer.render(
                    [GetRenderer.Found(info: info, objects: [object], named: true)], output: output,
                    options: TableOptions())
            }
            throw CtlError(
                "unable to match a printer suitable for the output format \"\(output!)\", allowed formats are: "
                    + "json,jsonpath,name,yaml")
        }
    }
}
