import ControllerKit
import Controllers
import Testing

/// What `kubus-controller` accepts as its argument: a name, names joined by commas, or `all`.
struct ControllerCatalogTests {
    @Test func namesCommaListsAndAll() {
        #expect(ControllerCatalog.controllers(named: "replicaset")?.map { $0.name } == ["replicaset"])
        #expect(
            ControllerCatalog.controllers(named: "deployment,replicaset")?.map { $0.name }
                == ["deployment", "replicaset"])
        #expect(ControllerCatalog.controllers(named: "all")?.map { $0.name } == ControllerCatalog.names)
        #expect(ControllerCatalog.names.count == 14)
    }

    @Test func unknownRepeatedOrEmptyNamesAreRefused() {
        #expect(ControllerCatalog.controllers(named: "replicaset,frobnicator") == nil)
        #expect(ControllerCatalog.controllers(named: "job,job") == nil)
        #expect(ControllerCatalog.controllers(named: "") == nil)
        #expect(ControllerCatalog.controllers(named: "job,") == nil)
    }
}
