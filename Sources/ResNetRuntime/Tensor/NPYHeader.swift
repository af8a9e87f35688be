// Parser for the Python-literal dictionary in a `.npy` header, e.g.
// `{'descr': '<f4', 'fortran_order': False, 'shape': (1, 3, 224, 224), }`. Any garbage gives a
// message, never a trap: indices are bounds-checked and integers overflow-checked.

/// The three fields every `.npy` header must carry.
struct NPYHeader: Equatable {
    var descr: String
    var fortranOrder: Bool
    var shape: [Int]

    /// A value of the header dictionary.
    private enum Value {
        case string(String)
        case bool(Bool)
        case tuple([Int])
    }

    /// Parses the header text; the error string says what was wrong and where.
    static func parse(_ text: String) -> Result<NPYHeader, NPYHeaderError> {
        var parser = Parser(characters: Array(text.unicodeScalars))
        do throws(NPYHeaderError) {
            let fields = try parser.dictionary()
            guard case .string(let descr)? = fields["descr"] else { throw parser.error("missing or non-string 'descr'") }
            guard case .bool(let fortran)? = fields["fortran_order"] else { throw parser.error("missing or non-boolean 'fortran_order'") }
            guard case .tuple(let shape)? = fields["shape"] else { throw parser.error("missing or non-tuple 'shape'") }
            return .success(NPYHeader(descr: descr, fortranOrder: fortran, shape: shape))
        } catch {
            return .failure(error)
        }
    }

    /// A recursive-descent reader over the header's characters.
    private struct Parser {
        let characters: [Unicode.Scalar]
        var index = 0

        func error(_ message: String) -> NPYHeaderError {
            NPYHeaderError(message: "header \(message) (at character \(index))")
        }

        mutating func dictionary() throws(NPYHeaderError) -> [String: Value] {
            skipSpace()
            try expect("{")
            var fields: [String: Value] = [:]
            while true {
                skipSpace()
                if peek() == "}" { index += 1; break }
                let key = try string()
                skipSpace()
                try expect(":")
                skipSpace()
                guard fields[key] == nil else { throw error("repeats key '\(key)'") }
                fields[key] = try value()
                skipSpace()
                if peek() == "," { index += 1; continue }
                if peek() == "}" { index += 1; break }
                throw error("expected ',' or '}'")
            }
            skipSpace()
            guard index == characters.count else { throw error("has text after the dictionary") }
            return fields
        }

        private mutating func value() throws(NPYHeaderError) -> Value {
            switch peek() {
            case "'", "\"": return .string(try string())
            case "(": return .tuple(try tuple())
            case "T": try word("True"); return .bool(true)
            case "F": try word("False"); return .bool(false)
            default: throw error("has an unexpected value")
            }
        }

        private mutating func string() throws(NPYHeaderError) -> String {
            guard let quote = peek(), quote == "'" || quote == "\"" else { throw error("expected a quoted string") }
            index += 1
            var result = String.UnicodeScalarView()
            while let c = peek(), c != quote {
                result.append(c)
                index += 1
            }
            try expect(quote)
            return String(result)
        }

        private mutating func tuple() throws(NPYHeaderError) -> [Int] {
            try expect("(")
            var items: [Int] = []
            while true {
                skipSpace()
                if peek() == ")" { index += 1; return items }
                items.append(try integer())
                skipSpace()
                if peek() == "," { index += 1; continue }
                if peek() == ")" { index += 1; return items }
                throw error("expected ',' or ')' in the shape")
            }
        }

        private mutating func integer() throws(NPYHeaderError) -> Int {
            var value = 0
            var digits = 0
            while let c = peek(), c.value >= 48, c.value <= 57 {
                let digit = Int(c.value - 48)
                let next = value.multipliedReportingOverflow(by: 10)
                let sum = next.partialValue.addingReportingOverflow(digit)
                guard !next.overflow, !sum.overflow else { throw error("has a dimension that overflows") }
                value = sum.partialValue
                digits += 1
                index += 1
            }
            guard digits > 0 else { throw error("expected a non-negative integer in the shape") }
            if peek() == "L" { index += 1 }  // Python 2 long literal
            return value
        }

        private mutating func word(_ text: String) throws(NPYHeaderError) {
            for c in text.unicodeScalars { try expect(c) }
        }

        private mutating func expect(_ c: Unicode.Scalar) throws(NPYHeaderError) {
            guard peek() == c else { throw error("expected '\(c)'") }
            index += 1
        }

        private func peek() -> Unicode.Scalar? { index < characters.count ? characters[index] : nil }

        private mutating func skipSpace() {
            while let c = peek(), c == " " || c == "\n" || c == "\t" || c == "\r" { index += 1 }
        }
    }
}

/// Why a `.npy` header could not be parsed.
struct NPYHeaderError: Error {
    let message: String
}
