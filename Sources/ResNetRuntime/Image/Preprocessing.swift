// How a model turns a decoded image into its input tensor: resize, center crop, scale and
// per-channel normalization, as declared by `preprocess { … }` in the `.net` file.

/// The image-to-tensor recipe a model carries. Applied in this order to the image's samples
/// (floats on the 0…255 scale, converted to the model's channel count first): `resize`, then
/// `centerCrop`, then `value · scale`, then `(value − mean[c]) / std[c]`.
public struct Preprocessing: Codable, Hashable, Sendable {
    /// How the image is resized before cropping.
    public enum Resize: Codable, Hashable, Sendable {
        /// The shorter side becomes `size`, the other keeps the aspect ratio (truncated), as
        /// torchvision's `Resize(size)`.
        case shorterSide(size: Int)
        /// Exactly `height × width`, as torchvision's `Resize((height, width))`.
        case exact(height: Int, width: Int)
    }

    /// Resizing (bilinear with antialiasing, see `ImageResize`), or nil to keep the size.
    public var resize: Resize?
    /// `[height, width]` of a center crop, or nil for none.
    public var centerCrop: [Int]?
    /// Multiplies every sample (e.g. 1/255 maps 0…255 to 0…1).
    public var scale: Double
    /// Subtracted per channel after scaling: one value for every channel, or one per channel.
    public var mean: [Double]
    /// Divides per channel after the mean: one value, or one per channel; never zero.
    public var std: [Double]

    /// Makes a recipe; the defaults change nothing.
    public init(resize: Resize? = nil, centerCrop: [Int]? = nil, scale: Double = 1,
                mean: [Double] = [0], std: [Double] = [1]) {
        self.resize = resize
        self.centerCrop = centerCrop
        self.scale = scale
        self.mean = mean
        self.std = std
    }

    /// torchvision's ImageNet recipe: resize 256, center crop 224, /255, ImageNet mean and std.
    public static let imagenet = Preprocessing(
        resize: .shorterSide(size: 256), centerCrop: [224, 224], scale: 1.0 / 255,
        mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225])

    /// The largest size `resize` or `centerCrop` may ask for, per side.
    public static let maxSide = Image.maxDimension

    /// Why this recipe cannot feed an input of `channels` channels, or nil when it can.
    public func problem(channels: Int) -> String? {
        switch resize {
        case .shorterSide(let size)? where size < 1 || size > Self.maxSide:
            return "resize size \(size) is outside 1…\(Self.maxSide)"
        case .exact(let height, let width)? where min(height, width) < 1 || max(height, width) > Self.maxSide:
            return "resize size \(height)×\(width) is outside 1…\(Self.maxSide)"
        default: break
        }
        if let crop = centerCrop, crop.count != 2 || crop.contains(where: { $0 < 1 || $0 > Self.maxSide }) {
            return "center_crop must be two sizes in 1…\(Self.maxSide), found \(crop)"
        }
        guard scale.isFinite else { return "scale must be finite, found \(scale)" }
        for (name, values) in [("mean", mean), ("std", std)] {
            guard values.count == 1 || values.count == channels else {
                return "\(name) has \(values.count) values; the input has \(channels) channels (give 1 or \(channels))"
            }
            guard values.allSatisfy(\.isFinite) else { return "\(name) values must be finite" }
        }
        if std.contains(0) { return "std values must not be zero" }
        return nil
    }
}
