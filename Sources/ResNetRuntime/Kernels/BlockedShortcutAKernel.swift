// The option-A shortcut over nChw16c tensors: the input subsampled by the stride, its channels
// shifted up by the zero padding in front of them. A blocked conv with an option-A residual
// reads it from here as an ordinary residual in its own layout (its tile epilogues only add a
// residual stored like their output).

/// `output[n][c][y][x] = input[n][c − pad][y·stride][x·stride]` where `0 ≤ c − pad < inChannels`,
/// else 0, both tensors nChw16c (channel counts multiples of 16; `pad` need not be). One unit per
/// image and output block.
struct BlockedShortcutAKernel {
    let batch: Int
    let inChannels: Int, inHeight: Int, inWidth: Int
    let outChannels: Int, outHeight: Int, outWidth: Int
    let stride: Int
    let input: UnsafePointer<Float>
    let output: UnsafeMutablePointer<Float>

    /// Output channels that get no input channel in front: `(outChannels − inChannels) / 2`, as
    /// PyTorch's `F.pad(x, (0, 0, 0, 0, p, q))` in the DSL's definition.
    var pad: Int { (outChannels - inChannels) / 2 }
    var unitCount: Int { batch * outChannels / 16 }

    func run(_ units: Range<Int>) {
        let outBlocks = outChannels / 16, inBlocks = inChannels / 16
        let inPlane = inHeight * inWidth * 16, outPlane = outHeight * outWidth * 16
        for unit in units {
            let n = unit / outBlocks, block = unit % outBlocks
            let destination = output + unit * outPlane
            let first = block * 16 - pad
            guard first + 16 > 0, first < inChannels else {
                destination.update(repeating: 0, count: outPlane)
                continue
            }
            let image = input + n * inBlocks * inPlane
            if first % 16 == 0 {
                // Whole source blocks (the padding a multiple of 16): one vector per pixel.
                let source = image + (first / 16) * inPlane
                for y in 0..<outHeight {
                    for x in 0..<outWidth {
                        let value = UnsafeRawPointer(source + ((y * stride) * inWidth + x * stride) * 16)
                            .loadUnaligned(as: SIMD16<Float>.self)
                        UnsafeMutableRawPointer(destination + (y * outWidth + x) * 16)
                            .storeBytes(of: value, as: SIMD16<Float>.self)
                    }
                }
                continue
            }
            // Lanes from two source blocks (or zeros): each lane's source channel, or -1.
            var lanes = SIMD16<Int>(repeating: -1)
            for lane in 0..<16 where first + lane >= 0 && first + lane < inChannels {
                let channel = first + lane
                lanes[lane] = (channel / 16) * inPlane + channel % 16
            }
            for y in 0..<outHeight {
                for x in 0..<outWidth {
                    let pixel = ((y * stride) * inWidth + x * stride) * 16
                    let out = destination + (y * outWidth + x) * 16
                    for lane in 0..<16 {
                        let offset = lanes[lane]
                        out[lane] = offset < 0 ? 0 : image[offset + pixel]
                    }
                }
            }
        }
    }
}
