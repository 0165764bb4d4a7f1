/**
 * The studio's WebGPU training kernels, registered over TensorFlow.js's.
 *
 * Conv2DBackpropFilter: the package runs one thread per filter weight, each
 * looping over batch × height × width — for D's first layer at batch 64 that
 * is 1,600 threads of 12,544 iterations, a GPU nearly idle. Here it is the
 * matrix product it is, dW[k, co] = Σ_m im2col(x)[m, k] · dy[m, co] with
 * m = (n, oh, ow) and k = (kh, kw, ci): 32×32 tiles of dW per workgroup,
 * staged through workgroup memory 16 rows of m at a time, the m range split
 * across workgroups when the tiles alone would not fill the GPU, and the
 * partial sums added by a second small kernel — no copy of im2col(x) is ever
 * made, and nothing leaves the device.
 *
 * Transposed convolutions (and convolution input gradients) take the
 * package's matrix-product program instead of its naive default.
 */
import { tf } from '../tf.js';
import { registerFusedUpdates } from './fused-updates.js';

type TensorInfo = { dataId: object; shape: number[]; dtype: string };
interface WebGpuBackendLike {
  runWebGPUProgram(program: object, inputs: TensorInfo[], dtype: string, uniforms: { type: string; data: number[] }[]): TensorInfo;
  disposeData(dataId: object): void;
}

const TILE = 32;
const ROWS = 16;
/** Enough workgroups in flight to keep a large GPU busy; more splits only add partial sums. */
const TARGET_WORKGROUPS = 512;

/** How the m range is cut: as few splits as fill the GPU, each a whole number of 16-row tiles. */
export function filterGradSplits(m: number, k: number, co: number): { splits: number; chunk: number } {
  const tiles = Math.ceil(k / TILE) * Math.ceil(co / TILE);
  const wanted = Math.max(1, Math.min(Math.ceil(TARGET_WORKGROUPS / tiles), Math.ceil(m / (4 * ROWS))));
  const chunk = Math.ceil(Math.ceil(m / wanted) / ROWS) * ROWS;
  return { splits: Math.ceil(m / chunk), chunk };
}

class FilterGradPartialProgram {
  variableNames = ['x', 'dy'];
  uniforms = 'filterDims : vec2<i32>, pads : vec2<i32>, strides : vec2<i32>, chunk : i32, tilesPerChunk : i32, kSize : i32, coSize : i32,';
  workgroupSize: [number, number, number] = [16, 16, 1];
  dispatchLayout: { x: number[]; y: number[]; z: number[] };
  dispatch: [number, number, number];
  shaderKey = 'ganStudioFilterGradPartial';
  outputShape: number[];

  constructor(outputShape: number[], k: number, co: number, splits: number) {
    this.outputShape = outputShape;
    // Tiles, not output coordinates, are what the dispatch covers: a layout of another rank keeps the package from deriving coordinates.
    this.dispatchLayout = { x: [0], y: [1], z: [] };
    this.dispatch = [Math.ceil(co / TILE), Math.ceil(k / TILE), splits];
  }

  getUserCode(): string {
    return `
      var<workgroup> tileA : array<array<f32, ${TILE}>, ${ROWS}>;
      var<workgroup> tileB : array<array<f32, ${TILE}>, ${ROWS}>;

      fn main() {
        let tx = i32(localId.x);
        let ty = i32(localId.y);
        let li = i32(localIndex);
        let coBase = i32(workgroupId.x) * ${TILE};
        let kBase = i32(workgroupId.y) * ${TILE};
        let split = i32(workgroupId.z);
        let OH = uniforms.dyShape[1];
        let OW = uniforms.dyShape[2];
        let CO = uniforms.coSize;
        let H = uniforms.xShape[1];
        let W = uniforms.xShape[2];
        let CI = uniforms.xShape[3];
        let K = uniforms.kSize;
        let M = uniforms.dyShape[0] * OH * OW;
        let mStart = split * uniforms.chunk;
        let mEnd = min(mStart + uniforms.chunk, M);
        var acc00 = 0.0; var acc01 = 0.0; var acc10 = 0.0; var acc11 = 0.0;
        // A uniform trip count, so that the barriers stay in uniform control flow.
        for (var t = 0; t < uniforms.tilesPerChunk; t++) {
          let m0 = mStart + t * ${ROWS};
          for (var e = 0; e < 2; e++) {
            let idx = li + e * 256;
            let mm = idx / ${TILE};
            let kk = idx % ${TILE};
            let m = m0 + mm;
            var a = 0.0;
            var b = 0.0;
            if (m < mEnd) {
              let k = kBase + kk;
              if (k < K) {
                let n = m / (OH * OW);
                let r = m % (OH * OW);
                let oh = r / OW;
                let ow = r % OW;
                let ci = k % CI;
                let f = k / CI;
                let kw = f % uniforms.filterDims.y;
                let kh = f / uniforms.filterDims.y;
                let ih = oh * uniforms.strides.x + kh - uniforms.pads.x;
                let iw = ow * uniforms.strides.y + kw - uniforms.pads.y;
                if (ih >= 0 && ih < H && iw >= 0 && iw < W) {
                  a = x[((n * H + ih) * W + iw) * CI + ci];
                }
              }
              let co = coBase + kk;
              if (co < CO) {
                b = dy[m * CO + co];
              }
            }
            tileA[mm][kk] = a;
            tileB[mm][kk] = b;
          }
          workgroupBarrier();
          for (var mm = 0; mm < ${ROWS}; mm++) {
            let a0 = tileA[mm][ty * 2];
            let a1 = tileA[mm][ty * 2 + 1];
            let b0 = tileB[mm][tx * 2];
            let b1 = tileB[mm][tx * 2 + 1];
            acc00 = acc00 + a0 * b0;
            acc01 = acc01 + a0 * b1;
            acc10 = acc10 + a1 * b0;
            acc11 = acc11 + a1 * b1;
          }
          workgroupBarrier();
        }
        let k0 = kBase + ty * 2;
        let c0 = coBase + tx * 2;
        let base = split * K * CO;
        if (k0 < K && c0 < CO) { result[base + k0 * CO + c0] = acc00; }
        if (k0 < K && c0 + 1 < CO) { result[base + k0 * CO + c0 + 1] = acc01; }
        if (k0 + 1 < K && c0 < CO) { result[base + (k0 + 1) * CO + c0] = acc10; }
        if (k0 + 1 < K && c0 + 1 < CO) { result[base + (k0 + 1) * CO + c0 + 1] = acc11; }
      }
    `;
  }
}

/** out[i] = Σ_s partial[s, i]: the split sums, one thread per weight. */
class SumSplitsProgram {
  variableNames = ['partial'];
  uniforms = 'splits : i32, count : i32,';
  workgroupSize: [number, number, number] = [64, 1, 1];
  size = true;
  dispatchLayout: { x: number[] };
  dispatch: [number, number, number];
  shaderKey = 'ganStudioSumSplits';
  outputShape: number[];

  constructor(outputShape: number[]) {
    this.outputShape = outputShape;
    this.dispatchLayout = { x: outputShape.map((_, i) => i) };
    const n = outputShape.reduce((a, b) => a * b, 1);
    this.dispatch = [Math.ceil(n / 64), 1, 1];
  }

  getUserCode(): string {
    return `
      fn main(index : i32) {
        if (index < uniforms.size) {
          var s = 0.0;
          for (var i = 0; i < uniforms.splits; i++) {
            s = s + partial[i * uniforms.count + index];
          }
          result[index] = s;
        }
      }
    `;
  }
}

type FilterGradArgs = {
  inputs: { x: TensorInfo; dy: TensorInfo };
  backend: WebGpuBackendLike;
  attrs: { strides: number | [number, number]; pad: 'valid' | 'same' | number; dataFormat: 'NHWC' | 'NCHW'; dimRoundingMode?: 'floor' | 'round' | 'ceil'; filterShape: [number, number, number, number] };
};

export function conv2dBackpropFilterWebGpu(args: FilterGradArgs, fallback: (args: FilterGradArgs) => TensorInfo): TensorInfo {
  const { inputs, backend, attrs } = args;
  const { x, dy } = inputs;
  if (attrs.dataFormat === 'NCHW' || x.dtype !== 'float32') return fallback(args);
  const info = tf.backend_util.computeConv2DInfo(
    x.shape as [number, number, number, number],
    attrs.filterShape,
    attrs.strides,
    1,
    attrs.pad,
    attrs.dimRoundingMode,
    false,
    'channelsLast',
  );
  const k = info.filterHeight * info.filterWidth * info.inChannels;
  const co = info.outChannels;
  const m = info.batchSize * info.outHeight * info.outWidth;
  const { splits, chunk } = filterGradSplits(m, k, co);
  const filterShape = [info.filterHeight, info.filterWidth, info.inChannels, co];
  const uniforms = [
    { type: 'int32', data: [info.filterHeight, info.filterWidth] },
    { type: 'int32', data: [info.padInfo.top, info.padInfo.left] },
    { type: 'int32', data: [info.strideHeight, info.strideWidth] },
    { type: 'int32', data: [chunk] },
    { type: 'int32', data: [chunk / ROWS] },
    { type: 'int32', data: [k] },
    { type: 'int32', data: [co] },
  ];
  // With one split the partial sums are the gradient, already in the filter's [kh, kw, ci, co] order.
  const partial = backend.runWebGPUProgram(new FilterGradPartialProgram(splits === 1 ? filterShape : [splits, k, co], k, co, splits), [x, dy], 'float32', uniforms);
  if (splits === 1) return partial;
  const out = backend.runWebGPUProgram(new SumSplitsProgram(filterShape), [partial], 'float32', [
    { type: 'int32', data: [splits] },
    { type: 'int32', data: [k * co] },
  ]);
  backend.disposeData(partial.dataId);
  return out;
}

let registered = false;

export function registerWebGpuKernels(): void {
  tf.env().set('WEBGPU_USE_NAIVE_CONV2D_TRANSPOSE', false);
  registerFusedUpdates();
  if (registered) return;
  const stock = tf.getKernel('Conv2DBackpropFilter', 'webgpu');
  if (!stock) throw new Error('TensorFlow.js WebGPU kernels are not loaded');
  const fallback = stock.kernelFunc as unknown as (args: FilterGradArgs) => TensorInfo;
  tf.unregisterKernel('Conv2DBackpropFilter', 'webgpu');
  tf.registerKernel({
    kernelName: 'Conv2DBackpropFilter',
    backendName: 'webgpu',
    kernelFunc: ((args: FilterGradArgs) => conv2dBackpropFilterWebGpu(args, fallback)) as unknown as tf.KernelFunc,
  });
  registered = true;
}
