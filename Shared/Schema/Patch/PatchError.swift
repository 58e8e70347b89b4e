/// A patch that cannot be applied: malformed (the api's 400) or not applicable to the object (422, with the
/// field it failed at).
public struct PatchError: Error, Sendable, CustomStringConvertible {
    private enum Code: Sendable {
        case malformed
        case notApplicable
    }

    private let code: Code
    /// What went wrong.
    public let message: String
    /// The field-level problems of a patch that does not apply, e.g. `spec.containers[0].name: Required value`.
    public let fieldErrors: [FieldError]

    private init(_ code: Code, _ message: String, fieldErrors: [FieldError] = []) {
        self.code = code
        self.message = message
        self.fieldErrors = fieldErrors
    }

    /// The message.
    public var description: String { message }

    /// Whether the patch document itself is malformed (not a list of operations, a bad pointer, an unknown
    /// directive): Kubernetes answers 400 BadRequest. Otherwise it does not apply to this object: 422.
    public var isMalformed: Bool { code == .malformed }

    static func malformed(_ message: String) -> PatchError {
        PatchError(.malformed, message)
    }

    static func notApplicable(_ error: FieldError) -> PatchError {
        PatchError(.notApplicable, error.description, fieldErrors: [error])
    }
}
