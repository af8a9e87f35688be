// Double exp (the reference activations) without importing Foundation into every file.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

@usableFromInline func _exp(_ x: Double) -> Double { exp(x) }
