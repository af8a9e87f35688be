// A decoded picture: width, height, interleaved channels (HWC) and its samples, 8-bit or float.

/// The samples of an image, row by row, channels interleaved (HWC).
public enum ImagePixels: Equatable, Sendable {
    /// 8-bit samples, 0…255.
    case uint8([UInt8])
    /// Samples of deeper files (16-bit PNG, PNM with maxval ≠ 255), rescaled to 0…255.
    case float([Float])

    /// The number of samples.
    public var count: Int {
        switch self {
        case .uint8(let values): return values.count
        case .float(let values): return values.count
        }
    }

    /// Every sample as a Float on the 0…255 scale.
    public var floats: [Float] {
        switch self {
        case .uint8(let values): return values.map(Float.init)
        case .float(let values): return values
        }
    }
}

/// A decoded image. Channels are 1 (gray), 2 (gray + alpha), 3 (RGB) or 4 (RGBA).
public struct Image: Equatable, Sendable {
    /// Width in pixels (≥ 1).
    public var width: Int
    /// Height in pixels (≥ 1).
    public var height: Int
    /// Samples per pixel: 1, 2, 3 or 4.
    public var channels: Int
    /// `height × width × channels` samples, HWC.
    public var pixels: ImagePixels

    /// Makes an image; the sample count must match the dimensions (a programmer error otherwise).
    public init(width: Int, height: Int, channels: Int, pixels: ImagePixels) {
        precondition(pixels.count == width * height * channels, "image samples do not match its size")
        self.width = width
        self.height = height
        self.channels = channels
        self.pixels = pixels
    }

    /// The largest image the decoders accept, in pixels (width × height), checked before
    /// anything is allocated: 2^26 (e.g. 8192 × 8192).
    public static let maxPixels = 1 << 26
    /// The largest width or height accepted.
    public static let maxDimension = 1 << 16
}
