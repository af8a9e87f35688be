#!/usr/bin/env bash
# Builds and runs one libFuzzer target: Tools/fuzz.sh TARGET SECONDS [libFuzzer flags...]
#
# TARGET is dsl, safetensors, npy, rnc, image (PNG/PGM/PPM) or onnx (harnesses in Tests/Fuzz/Harnesses/). The runtime and
# compiler modules are compiled with -sanitize=fuzzer,address into .build-fuzz/ (checks kept:
# -O, not -Ounchecked), the harness is linked against them, and the fuzzer runs on a scratch
# copy of the committed seed corpus Tests/Fuzz/corpus/TARGET/ so new inputs do not land in the
# repo. Crashes go to $FUZZ_ARTIFACTS (default /tmp/resnetc-fuzz/TARGET/crashes/).
# Environment: SWIFTC (default /opt/swift/usr/bin/swiftc or swiftc on PATH), FUZZ_ARTIFACTS,
# FUZZ_WORK (scratch corpus, default /tmp/resnetc-fuzz/TARGET/corpus), BUILD_ONLY=1.
set -euo pipefail
cd "$(dirname "$0")/.."

usage() { echo "usage: Tools/fuzz.sh dsl|safetensors|npy|rnc|image|onnx SECONDS [libFuzzer flags...]" >&2; exit 2; }
[[ $# -ge 2 ]] || usage
target=$1 seconds=$2
shift 2
case $target in dsl|safetensors|npy|rnc|image|onnx) ;; *) usage ;; esac
[[ $seconds =~ ^[0-9]+$ ]] || usage

if [[ -z ${SWIFTC:-} ]]; then
    if [[ -x /opt/swift/usr/bin/swiftc ]]; then SWIFTC=/opt/swift/usr/bin/swiftc; else SWIFTC=swiftc; fi
fi
out=.build-fuzz
mkdir -p "$out"
flags=(-parse-as-library -swift-version 6 -O -sanitize=fuzzer,address -g -I "$out" -L "$out")

# Rebuilds a static library module from its sources when any source (or a library it links,
# named by -l) is newer than the library. -L follows the kernel modules' symlinked sources.
build_module() {
    local name=$1 dir=$2
    shift 2
    local lib=$out/lib$name.a stale=
    [[ -f $lib ]] || stale=1
    [[ -n $(find -L "$dir" -name '*.swift' -newer "$lib" 2>/dev/null | head -1) ]] && stale=1
    local arg
    for arg in "$@"; do [[ $arg == -l* && $out/lib${arg#-l}.a -nt $lib ]] && stale=1; done
    [[ -n $stale ]] || return 0
    echo "building $name (fuzz + address sanitizer)..." >&2
    "$SWIFTC" "${flags[@]}" -module-name "$name" -emit-module -emit-module-path "$out/$name.swiftmodule" \
        -emit-library -static -o "$lib" "$@" $(find -L "$dir" -name '*.swift' | sort)
}

# The kernel modules with the instruction-set flags Package.swift gives them; the runtime picks
# one by CPUID at load time, as in a normal build.
build_module ResNetKernelABI Sources/ResNetKernelABI
build_module ResNetKernelsAVX512 Sources/ResNetKernelsAVX512 -lResNetKernelABI -Xcc -march=x86-64-v4
build_module ResNetKernelsAVX2 Sources/ResNetKernelsAVX2 -lResNetKernelABI -Xcc -march=x86-64-v3
build_module ResNetKernelsPortable Sources/ResNetKernelsPortable -lResNetKernelABI
build_module ResNetRuntime Sources/ResNetRuntime -lResNetKernelABI -lResNetKernelsAVX512 -lResNetKernelsAVX2 \
    -lResNetKernelsPortable
build_module ResNetCompiler Sources/ResNetCompiler -lResNetRuntime
harness=Tests/Fuzz/Harnesses/$target.swift
binary=$out/fuzz-$target
if [[ ! -x $binary || $harness -nt $binary || $out/libResNetCompiler.a -nt $binary || $out/libResNetRuntime.a -nt $binary ]]; then
    echo "linking $binary..." >&2
    "$SWIFTC" "${flags[@]}" -module-name "Fuzz_$target" -o "$binary" "$harness" \
        -lResNetCompiler -lResNetRuntime -lResNetKernelsAVX512 -lResNetKernelsAVX2 -lResNetKernelsPortable \
        -lResNetKernelABI
fi
[[ -n ${BUILD_ONLY:-} ]] && exit 0

work=${FUZZ_WORK:-/tmp/resnetc-fuzz/$target/corpus}
artifacts=${FUZZ_ARTIFACTS:-/tmp/resnetc-fuzz/$target/crashes}
mkdir -p "$work" "$artifacts"
cp -n Tests/Fuzz/corpus/"$target"/* "$work"/ 2>/dev/null || true
dict=()
[[ -f Tests/Fuzz/$target.dict ]] && dict=(-dict="Tests/Fuzz/$target.dict")
# -timeout: an input that runs 10 s is a hang; -rss_limit_mb: the harnesses cap their own
# allocations far below this, so hitting it is a missing limit.
exec "$binary" "$work" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
    -artifact_prefix="$artifacts/" -print_final_stats=1 "${dict[@]}" "$@"
