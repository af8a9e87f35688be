// Turning a decoded Image into a model's input tensor: channel conversion, then the model's
// Preprocessing (or none), then a check against the input's shape.

extension Image {
    /// The samples as CHW float planes on the 0…255 scale with `channels` channels (1 or 3).
    /// Alpha is dropped (not composited); gray becomes RGB by repetition; RGB becomes gray by
    /// ITU-R 601-2 luma, `0.299 R + 0.587 G + 0.114 B` (PIL's `convert("L")` without rounding).
    public func planes(channels target: Int) -> [Float] {
        let samples = pixels.floats, pixelCount = width * height
        let colorChannels = channels >= 3 ? 3 : 1
        var out = [Float](repeating: 0, count: target * pixelCount)
        for p in 0..<pixelCount {
            let base = p * channels
            if target == colorChannels {
                for c in 0..<target { out[c * pixelCount + p] = samples[base + c] }
            } else if target == 3 {
                for c in 0..<3 { out[c * pixelCount + p] = samples[base] }
            } else {
                out[p] = 0.299 * samples[base] + 0.587 * samples[base + 1] + 0.114 * samples[base + 2]
            }
        }
        return out
    }

    /// The input tensor `[1, C, H, W]` for a model input of `shape`, made with `preprocessing`
    /// (nil: the samples as they are, 0…255). `path` names the image in errors.
    public func tensor(for shape: [Int], inputName: String, preprocessing: Preprocessing?,
                       path: String) throws(ImageError) -> Tensor {
        func fail(_ reason: String) -> ImageError { ImageError(path: path, reason: reason) }
        guard shape.count == 4, shape[1] == 1 || shape[1] == 3 else {
            throw fail("the model's input '\(inputName)' is \(shape.shapeDescription); an image fills an input of shape 1x1xHxW or 1x3xHxW")
        }
        guard shape[0] == 1 else {
            throw fail("an image fills a batch of 1; the model's input '\(inputName)' has batch \(shape[0])")
        }
        let channels = shape[1]
        var data = planes(channels: channels)
        var h = height, w = width
        if let recipe = preprocessing {
            if let problem = recipe.problem(channels: channels) { throw fail("invalid preprocessing: \(problem)") }
            if let resize = recipe.resize {
                let (newH, newW) = Self.resizedSize(height: h, width: w, resize)
                data = ImageResize.resize(data, channels: channels, height: h, width: w, newHeight: newH, newWidth: newW)
                (h, w) = (newH, newW)
            }
            if let crop = recipe.centerCrop {
                guard crop[0] <= h, crop[1] <= w else {
                    let how = recipe.resize == nil ? "" : " after resizing"
                    throw fail("image is \(w)×\(h) (width×height)\(how), smaller than the center crop \(crop[1])×\(crop[0])")
                }
                data = Self.centerCrop(data, channels: channels, height: h, width: w, to: crop)
                (h, w) = (crop[0], crop[1])
            }
            normalize(&data, channels: channels, recipe)
        }
        guard h == shape[2], w == shape[3] else {
            let how = preprocessing == nil ? "" : " after preprocessing"
            throw fail("image is \(w)×\(h) (width×height)\(how); the model's input '\(inputName)' takes \(shape[3])×\(shape[2])")
        }
        return Tensor(shape: shape, data: data)
    }

    /// The size `resize` gives an image of `height × width`, as torchvision computes it.
    public static func resizedSize(height: Int, width: Int, _ resize: Preprocessing.Resize) -> (Int, Int) {
        switch resize {
        case .exact(let h, let w):
            return (h, w)
        case .shorterSide(let size):
            // torchvision: int(size * long / short), in double precision.
            if width <= height { return (max(1, Int(Double(size) * Double(height) / Double(width))), size) }
            return (size, max(1, Int(Double(size) * Double(width) / Double(height))))
        }
    }

    /// The centered `crop[0] × crop[1]` window; offsets rounded half to even as Python's round.
    static func centerCrop(_ data: [Float], channels: Int, height: Int, width: Int, to crop: [Int]) -> [Float] {
        let top = Int((Double(height - crop[0]) / 2).rounded(.toNearestOrEven))
        let left = Int((Double(width - crop[1]) / 2).rounded(.toNearestOrEven))
        var out = [Float]()
        out.reserveCapacity(channels * crop[0] * crop[1])
        for c in 0..<channels {
            for y in 0..<crop[0] {
                let start = (c * height + top + y) * width + left
                out.append(contentsOf: data[start..<(start + crop[1])])
            }
        }
        return out
    }

    /// `(value · scale − mean[c]) / std[c]` in place, in Float as torchvision does it.
    private func normalize(_ data: inout [Float], channels: Int, _ recipe: Preprocessing) {
        let planeSize = data.count / channels
        let scale = Float(recipe.scale)
        for c in 0..<channels {
            let mean = Float(recipe.mean.count == 1 ? recipe.mean[0] : recipe.mean[c])
            let std = Float(recipe.std.count == 1 ? recipe.std[0] : recipe.std[c])
            for i in (c * planeSize)..<((c + 1) * planeSize) { data[i] = (data[i] * scale - mean) / std }
        }
    }
}
