// tongxin-codegen: writes the Swift messages, enums, services and descriptions for the .proto
// files in a descriptor set made by `protoc --include_imports --include_source_info
// --descriptor_set_out`. Run through proto/generate, which also runs protoc-c.

import ArgumentParser
import Foundation

@main
struct TongxinCodegen: ParsableCommand {
  static let configuration = CommandConfiguration(
    commandName: "tongxin-codegen",
    abstract: "Generates Swift code from a protoc descriptor set (run proto/generate instead).")

  @Option(help: "The FileDescriptorSet that protoc wrote.")
  var descriptorSet: String

  @Option(help: "The folder for TongxinWire's generated files (package tongxin.rpc).")
  var wireOut: String

  @Option(help: "The folder for TongxinMessages' generated files (every other package).")
  var messagesOut: String

  @Option(help: "Also write the names of the files in the descriptor set here, one a line.")
  var fileList: String?

  func run() throws {
    guard let data = FileManager.default.contents(atPath: descriptorSet) else {
      throw ValidationError("cannot read \(descriptorSet)")
    }
    let schema = try DescriptorLoader.load(descriptorSet: [UInt8](data))
    let plan = try GenerationPlan(schema: schema)
    // protobuf's descriptor.proto is proto2; it is imported for the custom options only, and
    // nothing of it becomes Swift.
    for file in schema.files where file.syntax != "proto3" && plan.generatesCode(for: file) {
      throw CodegenError(
        "\(file.name): only proto3 files are supported (syntax \"\(file.syntax)\")")
    }
    let emitter = FileEmitter(plan: plan)
    var outputs = try schema.files.compactMap(emitter.emit)
    outputs.append(try emitter.emitRegistry())

    var written: Set<String> = []
    for output in outputs.sorted(by: { $0.name < $1.name }) {
      let folder = output.module == .wire ? wireOut : messagesOut
      let path = folder + "/" + output.name
      guard written.insert(path).inserted else { throw CodegenError("two files write \(path)") }
      try FileManager.default.createDirectory(atPath: folder, withIntermediateDirectories: true)
      try Data(output.contents.utf8).write(to: URL(fileURLWithPath: path))
    }
    if let fileList {
      let names = schema.files.map(\.name).sorted().map { $0 + "\n" }.joined()
      try Data(names.utf8).write(to: URL(fileURLWithPath: fileList))
    }
  }
}
