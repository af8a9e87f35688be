// Every committed PNG/PGM/PPM fixture decodes to exactly the pixels Pillow (or the writer)
// gives, saved beside it as NAME.npy by Tools/make_image_fixtures.py.
import ResNetRuntime
import Testing

@Suite("Image decoders")
struct ImageDecoderTests {
    static let pngFixtures = [
        "gray1", "gray2", "gray4", "gray8", "gray8_paeth", "gray_alpha8", "rgb8", "rgba8",
        "rgb8_stored", "rgb8_fixed", "rgb8_interlaced", "palette4", "palette8", "gray16", "rgb16",
    ]

    @Test("PNG fixtures decode to the reference pixels", arguments: pngFixtures)
    func png(name: String) throws {
        let image = try ImageReader.read(path: ImageFixtures.path(name + ".png"))
        try expectPixels(image, equal: ImageFixtures.pixels(name))
    }

    @Test("binary PPM (P6, maxval 255) and PGM (P5, maxval 1000, 16-bit samples)",
          arguments: [("rgb.ppm", "rgb_ppm"), ("gray16.pgm", "gray16_pgm")])
    func pnm(file: String, reference: String) throws {
        let image = try ImageReader.read(path: ImageFixtures.path(file))
        try expectPixels(image, equal: ImageFixtures.pixels(reference))
    }

    @Test("8-bit files keep 8-bit samples; 16-bit ones become floats on the 0…255 scale")
    func sampleKinds() throws {
        let rgb = try ImageReader.read(path: ImageFixtures.path("rgb8.png"))
        guard case .uint8 = rgb.pixels else { Issue.record("rgb8.png should decode to uint8"); return }
        let deep = try ImageReader.read(path: ImageFixtures.path("rgb16.png"))
        guard case .float = deep.pixels else { Issue.record("rgb16.png should decode to floats"); return }
        #expect(deep.channels == 3 && deep.width == 7 && deep.height == 6)
    }

    private func expectPixels(_ image: Image, equal reference: Tensor) throws {
        let channels = reference.shape.count == 3 ? reference.shape[2] : 1
        #expect([image.height, image.width, image.channels] == [reference.shape[0], reference.shape[1], channels])
        let found = image.pixels.floats
        try #require(found.count == reference.data.count)
        var worst: Float = 0
        for i in 0..<found.count { worst = max(worst, abs(found[i] - reference.data[i])) }
        // 16-bit references are float32 of value·255/65535 computed in float64; allow its rounding.
        #expect(worst <= 1e-4, "largest difference \(worst)")
    }
}
