// exp without importing Foundation into every kernel file.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@usableFromInline func _expf(_ x: Float) -> Float { expf(x) }
@usableFromInline func _exp(_ x: Double) -> Double { exp(x) }
