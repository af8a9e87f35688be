// libm access for the reference interpreter.
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Double-precision math functions used by the interpreter.
enum ReferenceMath {
    static func exp(_ x: Double) -> Double { Glibc.exp(x) }
}
