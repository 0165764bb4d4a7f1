/**
 * Training kernels for the WebAssembly backend.
 *
 * tfjs-backend-wasm ships no Conv2DBackpropFilter (so no conv net can train on
 * it) and a naive-loop Conv2DBackpropInput (the forward pass of every
 * transposed convolution and the input gradient of every convolution). Both
 * are rewritten here as plain Conv2D calls, which the backend runs on XNNPACK.
 * Gradients are unaffected: tfjs differentiates at the kernel level, and ops
 * run inside a kernel are never recorded on the tape.
 */
import * as tf from '@tensorflow/tfjs';

type Pad = 'valid' | 'same' | number | tf.backend_util.ExplicitPadding;
type Rounding = 'floor' | 'round' | 'ceil' | undefined;

function asTensor<R extends tf.Rank>(info: tf.TensorInfo): tf.Tensor<R> {
  return info instanceof tf.Tensor ? (info as tf.Tensor<R>) : (tf.engine().makeTensorFromTensorInfo(info) as tf.Tensor<R>);
}

function pair(v: number | [number, number]): [number, number] {
  return typeof v === 'number' ? [v, v] : v;
}

function checkNhwc(dataFormat: unknown, kernel: string): void {
  if (dataFormat !== undefined && dataFormat !== 'NHWC') {
    throw new Error(`${kernel} on wasm supports only NHWC data (got ${String(dataFormat)})`);
  }
}

/**
 * dW[kh,kw,ci,co] = Σ_{b,oh,ow} x[b, oh·s+kh−pt, ow·s+kw−pl, ci] · dy[b,oh,ow,co]:
 * a stride-1 convolution of x (channels and batch swapped) with dy as the
 * filter, dilated by the forward stride.
 */
export function conv2dBackpropFilter(
  x4: tf.Tensor4D,
  dy4: tf.Tensor4D,
  filterShape: [number, number, number, number],
  strides: number | [number, number],
  pad: Pad,
  dimRoundingMode?: Rounding,
): tf.Tensor4D {
  return tf.tidy(() => {
    const [kh, kw] = filterShape;
    const [sh, sw] = pair(strides);
    const info = tf.backend_util.computeConv2DInfo(x4.shape, filterShape, [sh, sw], 1, pad, dimRoundingMode);
    const [, h, w] = x4.shape;
    const [, oh, ow] = dy4.shape;
    const { top, left } = info.padInfo;
    // Rows the filter gradient reads, counted from the padded top edge.
    const needH = (kh - 1) + (oh - 1) * sh + 1;
    const needW = (kw - 1) + (ow - 1) * sw + 1;
    let bottom = needH - top - h;
    let right = needW - left - w;
    let x = x4;
    if (bottom < 0 || right < 0) {
      x = tf.slice(x, [0, 0, 0, 0], [-1, h + Math.min(bottom, 0), w + Math.min(right, 0), -1]);
      bottom = Math.max(bottom, 0);
      right = Math.max(right, 0);
    }
    const xt = tf.transpose(x, [3, 1, 2, 0]); // [ci, h, w, b]
    const f = tf.transpose(dy4, [1, 2, 0, 3]); // [oh, ow, b, co]
    const padding: tf.backend_util.ExplicitPadding = [[0, 0], [top, bottom], [left, right], [0, 0]];
    const out = tf.conv2d(xt, f, 1, padding, 'NHWC', [sh, sw]); // [ci, kh, kw, co]
    return tf.transpose(out, [1, 2, 0, 3]);
  });
}

interface Phase {
  /** Taps of this phase's sub-kernel, rows and columns. */
  jh: number;
  jw: number;
  /** Explicit padding (may be negative: rows of dy to drop) of dy for this phase. */
  top: number;
  bottom: number;
  left: number;
  right: number;
  /** For each tap of the [jh, jw, co, ci] sub-kernel, its index in the [kh, kw, ci, co] filter. */
  index: Int32Array;
}

/**
 * Output pixel y = s·i + p of a stride-s transposed convolution meets only
 * the kernel rows r, r + s, … with r = (p + pad) mod s: each of the s² output
 * phases is a stride-1 convolution of dy with its own flipped sub-kernel, and
 * together they cost exactly the direct transposed convolution.
 */
function phasePlan(
  kh: number, kw: number, ci: number, co: number, s: number,
  oh: number, ow: number, h: number, w: number, top: number, left: number,
): Phase[] {
  const nh = Math.ceil(h / s);
  const nw = Math.ceil(w / s);
  const axis = (p: number, pad: number, k: number, n: number, o: number) => {
    const r = (p + pad) % s;
    const off = Math.floor((p + pad) / s);
    const j = r < k ? Math.ceil((k - r) / s) : 0;
    const before = j - 1 - off;
    // n outputs of a stride-1 correlation with j taps need n + j − 1 rows of padded dy.
    return { r, j, before, after: n + j - 1 - before - o };
  };
  const phases: Phase[] = [];
  for (let py = 0; py < s; py++) {
    for (let px = 0; px < s; px++) {
      const y = axis(py, top, kh, nh, oh);
      const x = axis(px, left, kw, nw, ow);
      const index = new Int32Array(y.j * x.j * co * ci);
      let o = 0;
      for (let a = 0; a < y.j; a++) {
        const ky = y.r + (y.j - 1 - a) * s;
        for (let b = 0; b < x.j; b++) {
          const kx = x.r + (x.j - 1 - b) * s;
          for (let c = 0; c < co; c++) for (let i = 0; i < ci; i++) index[o++] = ((ky * kw + kx) * ci + i) * co + c;
        }
      }
      phases.push({ jh: y.j, jw: x.j, top: y.before, bottom: y.after, left: x.before, right: x.after, index });
    }
  }
  return phases;
}

/**
 * All phases as one Conv2D with s²·ci output channels: sub-kernels placed in
 * a common window of taps (zeros elsewhere). It wastes multiply-adds on the
 * zeros but beats s² thin convolutions when each phase has few channels.
 */
function stackPhases(phases: Phase[], ci: number, co: number, n: [number, number], o: [number, number]): Phase {
  const top = Math.max(...phases.map((p) => p.top));
  const left = Math.max(...phases.map((p) => p.left));
  const jh = Math.max(...phases.map((p) => top - p.top + p.jh));
  const jw = Math.max(...phases.map((p) => left - p.left + p.jw));
  const groups = phases.length;
  const index = new Int32Array(jh * jw * co * groups * ci).fill(-1);
  phases.forEach((p, g) => {
    const dy = top - p.top;
    const dx = left - p.left;
    for (let a = 0; a < p.jh; a++) {
      for (let b = 0; b < p.jw; b++) {
        for (let c = 0; c < co; c++) {
          for (let i = 0; i < ci; i++) {
            index[(((a + dy) * jw + (b + dx)) * co + c) * groups * ci + g * ci + i] = p.index[((a * p.jw + b) * co + c) * ci + i];
          }
        }
      }
    }
  });
  return { jh, jw, top, left, bottom: n[0] + jh - 1 - top - o[0], right: n[1] + jw - 1 - left - o[1], index };
}

/** Output channels below which the phases run as one stacked convolution. */
const STACK_BELOW_CHANNELS = 16;

const planCache = new Map<string, Phase[]>();

/**
 * dx[b,y,x,ci] = Σ dy[b,oh,ow,co] · W[kh,kw,ci,co] over y = oh·s+kh−pt: the
 * forward pass of a transposed convolution and the input gradient of a
 * convolution, as s² stride-1 Conv2Ds (XNNPACK) whose outputs are
 * interleaved by one 4-D transpose.
 */
export function conv2dBackpropInput(
  inShape: [number, number, number, number],
  dy4: tf.Tensor4D,
  filter: tf.Tensor4D,
  strides: number | [number, number],
  pad: Pad,
  dimRoundingMode?: Rounding,
): tf.Tensor4D {
  const [sh, sw] = pair(strides);
  if (sh !== sw) throw new Error('conv2dBackpropInput: unequal strides are not supported by the fast path');
  const s = sh;
  const [kh, kw, ci, co] = filter.shape;
  const [b, h, w] = inShape;
  const [, oh, ow] = dy4.shape;
  const { top, left } = tf.backend_util.computeConv2DInfo(inShape, filter.shape, [s, s], 1, pad, dimRoundingMode).padInfo;
  const key = [kh, kw, ci, co, s, oh, ow, h, w, top, left].join(',');
  let plan = planCache.get(key);
  const nh = Math.ceil(h / s);
  const nw = Math.ceil(w / s);
  if (!plan) {
    plan = phasePlan(kh, kw, ci, co, s, oh, ow, h, w, top, left);
    if (s > 1 && ci < STACK_BELOW_CHANNELS) plan = [stackPhases(plan, ci, co, [nh, nw], [oh, ow])];
    planCache.set(key, plan);
  }
  // Sub-kernels gathered in JavaScript: the backend's 6-D transposes cost 10× more.
  const weights = filter.dataSync() as Float32Array;
  return tf.tidy(() => {
    const outs = plan.map((p) => {
      if (p.jh === 0 || p.jw === 0) return tf.zeros([b, nh, nw, ci]) as tf.Tensor4D;
      const f = new Float32Array(p.index.length);
      for (let i = 0; i < f.length; i++) {
        const k = p.index[i];
        f[i] = k < 0 ? 0 : weights[k];
      }
      // Negative padding drops rows of dy; conv2d wants padding ≥ 0.
      const cut = [Math.max(0, -p.top), Math.max(0, -p.left)];
      const size = [oh - cut[0] - Math.max(0, -p.bottom), ow - cut[1] - Math.max(0, -p.right)];
      const d = cut[0] || cut[1] || size[0] < oh || size[1] < ow ? tf.slice(dy4, [0, cut[0], cut[1], 0], [b, size[0], size[1], co]) : dy4;
      const padding: tf.backend_util.ExplicitPadding = [[0, 0], [Math.max(0, p.top), Math.max(0, p.bottom)], [Math.max(0, p.left), Math.max(0, p.right)], [0, 0]];
      return tf.conv2d(d, tf.tensor4d(f, [p.jh, p.jw, co, f.length / (p.jh * p.jw * co)]), 1, padding);
    });
    let y = outs[0];
    if (s > 1) {
      // [b, nh, nw, (py, px, ci)] viewed as [b·nh, nw, py, (px, ci)] → [b·nh, py, nw, (px, ci)] is [b, nh·s, nw·s, ci].
      const stacked = outs.length > 1 ? tf.concat(outs, 3) : outs[0];
      y = tf.reshape(tf.transpose(tf.reshape(stacked, [b * nh, nw, s, s * ci]), [0, 2, 1, 3]), [b, nh * s, nw * s, ci]);
    }
    return nh * s === h && nw * s === w ? y : tf.slice(y, [0, 0, 0, 0], [b, h, w, ci]);
  });
}

let registered = false;

/**
 * The wasm BatchMatMul runs either operand transposed on a slow path: a
 * transposed left one is every dense layer's weight gradient, a transposed
 * right one its input gradient (4× slower than transposing first, measured
 * on the playground's 512×128·128×128 products).
 */
function registerMatMulTransposeA(): void {
  const original = tf.getKernel('BatchMatMul', 'wasm');
  if (!original) return;
  tf.unregisterKernel('BatchMatMul', 'wasm');
  const swapLastTwo = (x: tf.Tensor) => {
    const rank = x.shape.length;
    const perm = [...x.shape.keys()];
    [perm[rank - 2], perm[rank - 1]] = [perm[rank - 1], perm[rank - 2]];
    return tf.transpose(x, perm);
  };
  tf.registerKernel({
    // Keeps the original's setupFunc, which binds its wasm function when the backend starts.
    ...original,
    kernelFunc: (args) => {
      const attrs = args.attrs as unknown as { transposeA: boolean; transposeB: boolean };
      if (!attrs.transposeA && !attrs.transposeB) return original.kernelFunc(args);
      const at = attrs.transposeA ? swapLastTwo(asTensor(args.inputs.a as tf.TensorInfo)) : null;
      const bt = attrs.transposeB ? swapLastTwo(asTensor(args.inputs.b as tf.TensorInfo)) : null;
      const inputs = { ...args.inputs, ...(at ? { a: at } : {}), ...(bt ? { b: bt } : {}) };
      const out = original.kernelFunc({ ...args, inputs, attrs: { ...args.attrs, transposeA: false, transposeB: false } });
      at?.dispose();
      bt?.dispose();
      return out;
    },
  });
}

/** Registers the kernels above for the 'wasm' backend; safe to call twice. */
export function registerWasmTrainingKernels(): void {
  if (registered) return;
  registered = true;
  registerMatMulTransposeA();
  const original = tf.getKernel('Conv2DBackpropInput', 'wasm');
  if (original) tf.unregisterKernel('Conv2DBackpropInput', 'wasm');
  tf.registerKernel({
    ...original,
    kernelName: 'Conv2DBackpropInput',
    backendName: 'wasm',
    kernelFunc: ({ inputs, attrs, backend }) => {
      const a = attrs as unknown as {
        strides: number | [number, number];
        pad: Pad;
        dataFormat?: string;
        dimRoundingMode?: Rounding;
        inputShape: [number, number, number, number];
      };
      checkNhwc(a.dataFormat, 'Conv2DBackpropInput');
      const [sh, sw] = pair(a.strides);
      if (sh !== sw && original) return original.kernelFunc({ inputs, attrs, backend });
      const dy = asTensor<tf.Rank.R4>(inputs.dy as tf.TensorInfo);
      const filter = asTensor<tf.Rank.R4>(inputs.filter as tf.TensorInfo);
      return conv2dBackpropInput(a.inputShape, dy, filter, a.strides, a.pad, a.dimRoundingMode);
    },
  });
  if (tf.getKernel('Conv2DBackpropFilter', 'wasm')) tf.unregisterKernel('Conv2DBackpropFilter', 'wasm');
  tf.registerKernel({
    kernelName: 'Conv2DBackpropFilter',
    backendName: 'wasm',
    kernelFunc: ({ inputs, attrs }) => {
      const a = attrs as unknown as {
        strides: number | [number, number];
        pad: Pad;
        dataFormat?: string;
        dimRoundingMode?: Rounding;
        filterShape: [number, number, number, number];
      };
      checkNhwc(a.dataFormat, 'Conv2DBackpropFilter');
      const x = asTensor<tf.Rank.R4>(inputs.x as tf.TensorInfo);
      const dy = asTensor<tf.Rank.R4>(inputs.dy as tf.TensorInfo);
      return conv2dBackpropFilter(x, dy, a.filterShape, a.strides, a.pad, a.dimRoundingMode);
    },
  });
}
