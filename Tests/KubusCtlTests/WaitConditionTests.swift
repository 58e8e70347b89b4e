import Schema
import Testing

@testable import KubusCtl

@Suite struct WaitConditionTests {
    @Test func parsesKubectlsForForms() throws {
        #expect(try WaitCommand.parseCondition("delete") == .delete)
        #expect(try WaitCommand.parseCondition("condition=Complete") == .condition(type: "Complete", status: "True"))
        #expect(try WaitCommand.parseCondition("condition=Ready=false") == .condition(type: "Ready", status: "False"))
        #expect(
            try WaitCommand.parseCondition("jsonpath={.status.phase}=Running")
                == .jsonPath(expression: "{.status.phase}", value: "Running"))
        #expect(
            try WaitCommand.parseCondition("jsonpath={.status.readyReplicas}")
                == .jsonPath(expression: "{.status.readyReplicas}", value: nil))
        #expect(throws: CtlError.self) { try WaitCommand.parseCondition("ready") }
        #expect(throws: CtlError.self) { try WaitCommand.parseCondition("condition=") }
    }

    @Test func matchesConditionsAndValues() throws {
        let job: JSONValue = [
            "status": ["phase": "Running", "conditions": [["type": "Complete", "status": "True"]]]
        ]
        #expect(try WaitCommand.isMet(.condition(type: "complete", status: "True"), job))
        #expect(try !WaitCommand.isMet(.condition(type: "Complete", status: "False"), job))
        #expect(try !WaitCommand.isMet(.condition(type: "Failed", status: "True"), job))
        #expect(try WaitCommand.isMet(.jsonPath(expression: "{.status.phase}", value: "Running"), job))
        #expect(try !WaitCommand.isMet(.jsonPath(expression: "{.status.phase}", value: "Pending"), job))
        #expect(try !WaitCommand.isMet(.jsonPath(expression: "{.status.missing}", value: nil), job))
    }
}
