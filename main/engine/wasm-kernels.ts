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

/**
 * dx[b,y,x,ci] = Σ dy[b,oh,ow,co] · W[kh,kw,ci,co] over y = oh·s+kh−pt.
 * Output rows of one phase r = (y+pt) mod s only meet kernel rows r, r+s, …,
 * so the transposed convolution is s² stride-1 convolutions with sub-kernels
 * of ceil(k/s) taps. They are stacked along the output channels of a single
 * Conv2D and interleaved back into place by DepthToSpace.
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
  return tf.tidy(() => {
    const [kh, kw, ci, co] = filter.shape;
    const [b, h, w] = inShape;
    const info = tf.backend_util.computeConv2DInfo(inShape, filter.shape, [s, s], 1, pad, dimRoundingMode);
    const { top, left } = info.padInfo;
    const jh = Math.ceil(kh / s);
    const jw = Math.ceil(kw / s);
    // Filter of the stacked phases: [jh, jw, co, s·s·ci], flipped for correlation.
    const padded = tf.pad(filter, [[0, jh * s - kh], [0, jw * s - kw], [0, 0], [0, 0]]);
    const phases = tf.reshape(padded, [jh, s, jw, s, ci, co]);
    const f = tf.reshape(tf.transpose(tf.reverse(phases, [0, 2]), [0, 2, 5, 1, 3, 4]), [jh, jw, co, s * s * ci]) as tf.Tensor4D;
    const qh = Math.ceil((h + top) / s);
    const qw = Math.ceil((w + left) / s);
    let dy = dy4;
    const [, oh, ow] = dy4.shape;
    if (oh > qh || ow > qw) dy = tf.slice(dy, [0, 0, 0, 0], [-1, Math.min(oh, qh), Math.min(ow, qw), -1]);
    const padding: tf.backend_util.ExplicitPadding = [
      [0, 0],
      [jh - 1, Math.max(qh - oh, 0)],
      [jw - 1, Math.max(qw - ow, 0)],
      [0, 0],
    ];
    let y: tf.Tensor4D = tf.conv2d(dy, f, 1, padding);
    if (s > 1) y = tf.depthToSpace(y, s);
    return tf.slice(y, [0, top, left, 0], [b, h, w, ci]);
  });
}

let registered = false;

/** Registers the kernels above for the 'wasm' backend; safe to call twice. */
export function registerWasmTrainingKernels(): void {
  if (registered) return;
  registered = true;
  const original = tf.getKernel('Conv2DBackpropInput', 'wasm');
  if (original) tf.unregisterKernel('Conv2DBackpropInput', 'wasm');
  tf.registerKernel({
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
