// Resolves a step's epilogue (activation, residual operand) into the kernel modules' EpilogueJob.

import ResNetKernelABI

enum EpilogueBinding {
    /// The epilogue of `step`, whose output is viewed as `[N, channels, pixels]` (`width` = the
    /// output plane's width). The residual is the step's last input.
    static func job(_ step: Step, arena: UnsafeMutablePointer<Float>, channels: Int, pixels: Int,
                    width: Int) -> EpilogueJob {
        var residual = ResidualSource.none
        if let kind = step.epilogue.residual, let last = step.inputs.last {
            let pointer = UnsafePointer(arena + last.offset)
            switch kind {
            case .identity:
                residual = .identity(pointer)
            case .shortcutA(let stride):
                residual = .subsampled(pointer, stride: stride, channels: last.shape[1], height: last.shape[2],
                                       width: last.shape[3], channelPad: (channels - last.shape[1]) / 2)
            }
        }
        return EpilogueJob(output: arena + step.output.offset, channels: channels, pixels: pixels, width: width,
                           activation: code(step.epilogue.activation), residual: residual)
    }

    private static func code(_ activation: Activation) -> ActivationCode {
        switch activation {
        case .identity: return .identity
        case .relu: return .relu
        case .leakyRelu(let slope): return .leakyRelu(slope: slope)
        case .relu6: return .relu6
        case .sigmoid: return .sigmoid
        case .silu: return .silu
        }
    }
}
