// Image → input tensor against torchvision's tensor path (Resize bilinear antialias=True,
// CenterCrop, ToTensor-style scale, Normalize), computed by Tools/make_image_fixtures.py.
import ResNetRuntime
import Testing

@Suite("Image preprocessing")
struct PreprocessingTests {
    static let imagenetMean = [0.485, 0.456, 0.406], imagenetStd = [0.229, 0.224, 0.225]

    /// (reference, image, recipe, input shape) as the fixture script made them.
    static let cases: [(String, String, Preprocessing, [Int])] = [
        ("photo_imagenet", "photo.png", Preprocessing(resize: .shorterSide(size: 64), centerCrop: [56, 56], scale: 1.0 / 255,
                                                      mean: imagenetMean, std: imagenetStd), [1, 3, 56, 56]),
        ("photo_exact", "photo.png", Preprocessing(resize: .exact(height: 40, width: 50), scale: 1.0 / 255), [1, 3, 40, 50]),
        ("gray_upscale", "gray.png", Preprocessing(resize: .shorterSide(size: 48), centerCrop: [44, 40], scale: 1.0 / 255,
                                                   mean: imagenetMean, std: imagenetStd), [1, 3, 44, 40]),
        ("photo_luma", "photo.png", Preprocessing(resize: .exact(height: 37, width: 53), centerCrop: [31, 50], scale: 1.0 / 255,
                                                  mean: [0.5], std: [0.25]), [1, 1, 31, 50]),
        ("photo_odd", "photo.png", Preprocessing(resize: .shorterSide(size: 83), centerCrop: [80, 81], scale: 1.0 / 255,
                                                 mean: imagenetMean, std: imagenetStd), [1, 3, 80, 81]),
        ("photo_shrink6", "photo.png", Preprocessing(resize: .shorterSide(size: 15), scale: 1.0 / 255), [1, 3, 15, 20]),
    ]

    @Test("matches torchvision within 1e-6", arguments: cases.map(\.0))
    func matchesTorchvision(reference: String) throws {
        let (_, file, recipe, shape) = try #require(Self.cases.first { $0.0 == reference })
        let image = try ImageReader.read(path: ImageFixtures.path(file))
        let tensor = try image.tensor(for: shape, inputName: "image", preprocessing: recipe, path: file)
        let expected = try ImageFixtures.pixels(reference)
        #expect(tensor.shape == expected.shape)
        try #require(tensor.data.count == expected.data.count)
        let worst = zip(tensor.data, expected.data).map { abs($0 - $1) }.max() ?? 0
        #expect(worst <= 1e-6, "largest difference \(worst)")
    }

    @Test("resize to the same size and no recipe leave the samples as they are (0…255)")
    func identity() throws {
        let image = try ImageReader.read(path: ImageFixtures.path("rgb8.png"))
        let raw = try image.tensor(for: [1, 3, 11, 13], inputName: "image", preprocessing: nil, path: "rgb8.png")
        let same = try image.tensor(for: [1, 3, 11, 13], inputName: "image",
                                    preprocessing: Preprocessing(resize: .exact(height: 11, width: 13)), path: "rgb8.png")
        #expect(raw == same)
        #expect(raw.data == image.planes(channels: 3))
        #expect(raw.data[0] == image.pixels.floats[0])
    }

    @Test("torchvision's resized size: the shorter side, the longer truncated")
    func resizedSize() {
        #expect(Image.resizedSize(height: 90, width: 120, .shorterSide(size: 64)) == (64, 85))
        #expect(Image.resizedSize(height: 500, width: 375, .shorterSide(size: 256)) == (341, 256))
        #expect(Image.resizedSize(height: 30, width: 30, .shorterSide(size: 7)) == (7, 7))
    }

    @Test("images that do not fit the input give named errors")
    func errors() throws {
        let image = try ImageReader.read(path: ImageFixtures.path("rgb8.png"))
        let cases: [([Int], Preprocessing?, String)] = [
            ([1, 3, 8, 8], nil, "rgb8.png: image is 13×11 (width×height); the model's input 'image' takes 8×8"),
            ([1, 3, 8, 8], Preprocessing(resize: .shorterSide(size: 9)),
             "rgb8.png: image is 10×9 (width×height) after preprocessing; the model's input 'image' takes 8×8"),
            ([1, 3, 8, 8], Preprocessing(centerCrop: [12, 12]),
             "rgb8.png: image is 13×11 (width×height), smaller than the center crop 12×12"),
            ([1, 3, 8, 8], Preprocessing(resize: .exact(height: 7, width: 7), centerCrop: [8, 8]),
             "rgb8.png: image is 7×7 (width×height) after resizing, smaller than the center crop 8×8"),
            ([2, 3, 11, 13], nil, "rgb8.png: an image fills a batch of 1; the model's input 'image' has batch 2"),
            ([1, 2, 11, 13], nil, "rgb8.png: the model's input 'image' is 1x2x11x13; an image fills an input of shape 1x1xHxW or 1x3xHxW"),
            ([1, 3, 11, 13], Preprocessing(mean: [1, 2]),
             "rgb8.png: invalid preprocessing: mean has 2 values; the input has 3 channels (give 1 or 3)"),
            ([1, 3, 11, 13], Preprocessing(std: [0]), "rgb8.png: invalid preprocessing: std values must not be zero"),
        ]
        for (shape, recipe, message) in cases {
            #expect(throws: ImageError(path: "rgb8.png", reason: String(message.dropFirst("rgb8.png: ".count)))) {
                try image.tensor(for: shape, inputName: "image", preprocessing: recipe, path: "rgb8.png")
            }
        }
    }
}
