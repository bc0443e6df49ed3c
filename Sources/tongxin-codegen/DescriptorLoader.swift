// Reads the descriptor set that protoc wrote (`--descriptor_set_out`), decoding it with the
// protobuf-c code generated from protobuf's own descriptor.proto (target CProtobufDescriptor).
// The generator never parses .proto text: everything it knows comes from protoc through here.

import CProtobufC
import CProtobufDescriptor
import Foundation

enum DescriptorLoader {
  /// Decodes a `google.protobuf.FileDescriptorSet` into the generator's model.
  static func load(descriptorSet bytes: [UInt8]) throws -> ProtoSchema {
    guard
      let set = bytes.withUnsafeBufferPointer({
        google__protobuf__file_descriptor_set__unpack(nil, $0.count, $0.baseAddress)
      })
    else { throw CodegenError("not a valid FileDescriptorSet (\(bytes.count) bytes)") }
    defer { google__protobuf__file_descriptor_set__free_unpacked(set, nil) }
    let options = try CustomOptions(set)
    let files = try items(set.pointee.file, set.pointee.n_file).map { try file($0, options) }
    return ProtoSchema(files: files)
  }

  private static func file(
    _ p: UnsafeMutablePointer<Google__Protobuf__FileDescriptorProto>, _ options: CustomOptions
  ) throws -> ProtoFile {
    let f = p.pointee
    let comments = Comments(f.source_code_info)
    let package = string(f.package)
    let prefix = package.isEmpty ? "" : package + "."
    var file = ProtoFile(name: string(f.name), package: package, syntax: string(f.syntax))
    for (i, m) in items(f.message_type, f.n_message_type).enumerated() {
      file.messages.append(
        try message(m, prefix: prefix, path: [4, Int32(i)], comments, options))
    }
    for (i, e) in items(f.enum_type, f.n_enum_type).enumerated() {
      file.enums.append(enumType(e, prefix: prefix, path: [5, Int32(i)], comments))
    }
    for (i, s) in items(f.service, f.n_service).enumerated() {
      file.services.append(service(s, prefix: prefix, path: [6, Int32(i)], comments))
    }
    return file
  }

  private static func message(
    _ p: UnsafeMutablePointer<Google__Protobuf__DescriptorProto>, prefix: String,
    path: [Int32], _ comments: Comments, _ options: CustomOptions
  ) throws -> ProtoMessageType {
    let d = p.pointee
    let name = string(d.name)
    let m = ProtoMessageType(name: name, fullName: prefix + name)
    m.comment = comments[path]
    m.isMapEntry =
      d.options.map { $0.pointee.has_map_entry != 0 && $0.pointee.map_entry != 0 }
      ?? false
    m.oneofs = items(d.oneof_decl, d.n_oneof_decl).map { string($0.pointee.name) }
    for (i, fp) in items(d.field, d.n_field).enumerated() {
      let f = fp.pointee
      let fieldName = string(f.name)
      let fullName = m.fullName + "." + fieldName
      m.fields.append(
        ProtoField(
          name: fieldName,
          fullName: fullName,
          number: f.number,
          kind: FieldKind(rawValue: Int32(truncatingIfNeeded: f.type.rawValue)) ?? .group,
          isRepeated: f.label.rawValue == 3,  // LABEL_REPEATED
          typeName: typeName(string(f.type_name)),
          jsonName: f.json_name == nil ? lowerCamelJSONName(fieldName) : string(f.json_name),
          oneofIndex: f.has_oneof_index != 0
            && !(f.has_proto3_optional != 0
              && f.proto3_optional != 0)
            ? Int(f.oneof_index) : nil,
          comment: comments[path + [2, Int32(i)]],
          isPersonal: try options.isPersonal(f.options, field: fullName)))
    }
    for (i, n) in items(d.nested_type, d.n_nested_type).enumerated() {
      m.nestedMessages.append(
        try message(n, prefix: m.fullName + ".", path: path + [3, Int32(i)], comments, options))
    }
    for (i, e) in items(d.enum_type, d.n_enum_type).enumerated() {
      m.nestedEnums.append(
        enumType(e, prefix: m.fullName + ".", path: path + [4, Int32(i)], comments))
    }
    return m
  }

  private static func enumType(
    _ p: UnsafeMutablePointer<Google__Protobuf__EnumDescriptorProto>, prefix: String,
    path: [Int32], _ comments: Comments
  ) -> ProtoEnumType {
    let d = p.pointee
    let name = string(d.name)
    let values = items(d.value, d.n_value).enumerated().map { i, v in
      ProtoEnumValue(
        name: string(v.pointee.name), number: v.pointee.number,
        comment: comments[path + [2, Int32(i)]])
    }
    return ProtoEnumType(
      name: name, fullName: prefix + name, values: values, comment: comments[path])
  }

  private static func service(
    _ p: UnsafeMutablePointer<Google__Protobuf__ServiceDescriptorProto>, prefix: String,
    path: [Int32], _ comments: Comments
  ) -> ProtoService {
    let d = p.pointee
    let name = string(d.name)
    let methods = items(d.method, d.n_method).enumerated().map { i, mp in
      let m = mp.pointee
      let noSideEffects =
        m.options.map {
          // IdempotencyLevel.NO_SIDE_EFFECTS = 1
          $0.pointee.has_idempotency_level != 0 && $0.pointee.idempotency_level.rawValue == 1
        } ?? false
      return ProtoMethod(
        name: string(m.name),
        inputType: typeName(string(m.input_type)),
        outputType: typeName(string(m.output_type)),
        clientStreaming: m.has_client_streaming != 0 && m.client_streaming != 0,
        serverStreaming: m.has_server_streaming != 0 && m.server_streaming != 0,
        noSideEffects: noSideEffects,
        comment: comments[path + [2, Int32(i)]])
    }
    return ProtoService(
      name: name, fullName: prefix + name, methods: methods, comment: comments[path])
  }

  // MARK: Helpers

  /// The elements of a protobuf-c repeated message field.
  private static func items<T>(_ p: UnsafeMutablePointer<UnsafeMutablePointer<T>?>?, _ n: Int)
    -> [UnsafeMutablePointer<T>]
  {
    guard let p else { return [] }
    return (0..<n).compactMap { p[$0] }
  }

  private static func string(_ p: UnsafeMutablePointer<CChar>?) -> String {
    p.map { String(cString: $0) } ?? ""
  }

  /// protoc writes type references fully qualified with a leading dot.
  private static func typeName(_ name: String) -> String {
    name.hasPrefix(".") ? String(name.dropFirst()) : name
  }

  /// protoc's default JSON name, used only if the descriptor set has none.
  private static func lowerCamelJSONName(_ name: String) -> String {
    var result = ""
    var upperNext = false
    for ch in name {
      if ch == "_" {
        upperNext = true
      } else {
        result += upperNext ? ch.uppercased() : String(ch)
        upperNext = false
      }
    }
    return result
  }
}

/// The leading comments of a file's source info, by element path.
private struct Comments {
  private var byPath: [[Int32]: String] = [:]

  init(_ info: UnsafeMutablePointer<Google__Protobuf__SourceCodeInfo>?) {
    guard let info, let locations = info.pointee.location else { return }
    for i in 0..<info.pointee.n_location {
      guard let location = locations[i]?.pointee, let leading = location.leading_comments
      else { continue }
      let path = (0..<location.n_path).map { location.path[$0] }
      byPath[path] = Self.clean(String(cString: leading))
    }
  }

  subscript(path: [Int32]) -> String { byPath[path] ?? "" }

  /// "// Foo\n// bar" arrives as " Foo\n bar\n": drop the space after `//` and the last newline.
  static func clean(_ comment: String) -> String {
    var lines = comment.split(separator: "\n", omittingEmptySubsequences: false).map {
      line -> String in
      var line = Substring(line)
      if line.hasPrefix(" ") { line = line.dropFirst() }
      while let last = line.last, last == " " || last == "\t" || last == "\r" {
        line = line.dropLast()
      }
      return String(line)
    }
    while lines.last?.isEmpty == true { lines.removeLast() }
    while lines.first?.isEmpty == true { lines.removeFirst() }
    return lines.joined(separator: "\n")
  }
}
