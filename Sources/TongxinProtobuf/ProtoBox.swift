/// Holds a message field whose type contains the message itself (directly or through other
/// messages), which a Swift struct cannot store inline. Immutable, so copies stay values.
public final class ProtoBox<Value: Hashable & Sendable>: Hashable, Sendable {
  public let value: Value

  @inlinable
  public init(_ value: Value) { self.value = value }

  public static func == (lhs: ProtoBox, rhs: ProtoBox) -> Bool { lhs.value == rhs.value }
  public func hash(into hasher: inout Hasher) { hasher.combine(value) }
}
