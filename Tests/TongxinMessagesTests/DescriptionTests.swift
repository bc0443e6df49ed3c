import Testing
import TongxinMessages
import TongxinProtobuf
import TongxinWire

@Suite("Generated service descriptions and registries")
struct DescriptionTests {
  let echo = Tongxin_Echo_Echo.description

  @Test func serviceAndMethods() throws {
    #expect(Tongxin_Echo_Echo.serviceName == "echo")
    #expect(echo.name == "echo")
    #expect(echo.protoName == "tongxin.echo.Echo")
    #expect(echo.methods.map(\.name) == ["Echo", "Work", "Fail", "Mirror", "Count"])
    let echoMethod = try #require(echo.methods.first)
    #expect(echoMethod.inputType == "tongxin.echo.EchoRequest")
    #expect(echoMethod.outputType == "tongxin.echo.EchoResponse")
    #expect(echoMethod.readOnly)
    #expect(echoMethod.comment == "Answers the text and payload it was given.")
    let count = try #require(echo.methods.last)
    #expect(!count.readOnly, "Count has no idempotency_level: a write")
  }

  @Test func messagesAtAnyDepthSortedByName() throws {
    let names = echo.messages.map(\.name)
    #expect(names == names.sorted())
    for expected in [
      "tongxin.echo.EchoRequest", "tongxin.echo.Sample", "tongxin.echo.Sample.Inner",
      "tongxin.echo.Sample.LabelsEntry", "google.protobuf.Timestamp", "google.protobuf.StringValue",
    ] {
      #expect(names.contains(expected), "\(expected)")
    }
    #expect(!names.contains("tongxin.rpc.RequestHeader"), "not used by any method")
    #expect(echo.enums.map(\.name) == ["tongxin.echo.Colour", "tongxin.rpc.StatusCode"])
    let colour = try #require(echo.enums.first)
    #expect(colour.values.map(\.name) == ["COLOUR_UNSPECIFIED", "COLOUR_RED", "COLOUR_JADE"])
    #expect(colour.values.map(\.number) == [0, 1, 2])
  }

  @Test func fields() throws {
    let sample = try #require(echo.messages.first { $0.name == "tongxin.echo.Sample" })
    func field(_ name: String) -> Tongxin_Rpc_FieldDescription {
      guard let f = sample.fields.first(where: { $0.name == name }) else {
        Issue.record("Sample has no field \(name)")
        return Tongxin_Rpc_FieldDescription()
      }
      return f
    }
    #expect(sample.fields.count == 33)
    let labels = field("labels")
    #expect(labels.map && labels.repeated && labels.kind == .message)
    #expect(labels.typeName == "tongxin.echo.Sample.LabelsEntry")
    let innerByName = field("inner_by_name")
    #expect(innerByName.jsonName == "innerByName" && innerByName.number == 23)
    let choice = field("choice_inner")
    #expect(choice.oneof == "choice" && choice.typeName == "tongxin.echo.Sample.Inner")
    #expect(field("colour").kind == .enum && field("colour").typeName == "tongxin.echo.Colour")
    #expect(field("s64").kind == .sint64)
    #expect(field("sf32").kind == .sfixed32)
    #expect(field("blobs").kind == .bytes && field("blobs").repeated)
    #expect(field("text").oneof == "" && !field("text").map)
    #expect(
      field("maybe_text").comment
        == "Presence without proto3 `optional`: a wrapper message is absent or present.")
    #expect(field("maybe_text").typeName == "google.protobuf.StringValue")
  }

  @Test func registries() throws {
    let names = TongxinServices.all.map(\.name)
    #expect(names == names.sorted(), "services are listed in a stable order")
    #expect(Set(names).isSuperset(of: ["echo", "system", "membership", "events", "reception"]))
    let echo = TongxinServices.all.first { $0.name == "echo" }
    #expect(echo?.protoName == "tongxin.echo.Echo")
    let types = TongxinMessageTypes.byName
    func id(_ name: String) -> ObjectIdentifier? { types[name].map { ObjectIdentifier($0) } }
    #expect(id("tongxin.echo.Sample") == ObjectIdentifier(Tongxin_Echo_Sample.self))
    #expect(id("tongxin.echo.Sample.Inner") == ObjectIdentifier(Tongxin_Echo_Sample.Inner.self))
    #expect(id("tongxin.rpc.RequestHeader") == ObjectIdentifier(Tongxin_Rpc_RequestHeader.self))
    #expect(id("google.protobuf.Timestamp") == ObjectIdentifier(Google_Protobuf_Timestamp.self))
    #expect(types["tongxin.echo.Sample.LabelsEntry"] == nil, "map entries are dictionaries")
    for (name, type) in types {
      #expect(type.protoMessageName == name)
      #expect(try type.init(serializedBytes: type.init().serializedBytes()).serializedBytes() == [])
    }
    // Every input and output of every service can be found by name.
    for service in TongxinServices.all {
      for method in service.methods {
        #expect(types[method.inputType] != nil && types[method.outputType] != nil, "\(method.name)")
      }
    }
  }
}
