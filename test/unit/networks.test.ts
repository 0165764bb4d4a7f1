import { before, test } from 'node:test';
import assert from 'node:assert/strict';
import { createDiscriminator, createGenerator, discriminate, generate, SIZES, type NetSpec } from '../../main/engine/networks.js';
import { Rng } from '../../main/engine/rng.js';
import { onBackend, tf } from '../support/helpers.js';

before(() => onBackend('wasm'));

for (const size of SIZES) {
  for (const channels of [1, 3] as const) {
    for (const numClasses of [0, 10]) {
      test(`${size}×${size}×${channels}${numClasses ? ', class-conditional' : ''}: G makes images in [-1, 1], D scores each`, () => {
        const spec: NetSpec = { size, channels, zDim: 12, width: 4, numClasses, dropout: 0.3 };
        const rng = Rng.fromSeed(1);
        const G = createGenerator(spec, rng);
        const D = createDiscriminator(spec, rng);
        const n = 3;
        tf.tidy(() => {
          const z = tf.tensor2d(rng.normal(n * spec.zDim), [n, spec.zDim]);
          const labels = numClasses ? tf.tensor1d([0, 4, 9], 'int32') : null;
          const images = generate(G, spec, z, labels, { training: true });
          assert.deepEqual(images.shape, [n, size, size, channels]);
          const [lo, hi] = [tf.min(images).dataSync()[0], tf.max(images).dataSync()[0]];
          assert.ok(lo >= -1 && hi <= 1 && hi > lo, `range [${lo}, ${hi}]`);
          const logits = discriminate(D, spec, images, labels, { training: false });
          assert.deepEqual(logits.shape, [n]);
          assert.ok(logits.dataSync().every(Number.isFinite));
          if (numClasses) {
            // The label changes what G draws and how D judges.
            const other = tf.tensor1d([1, 1, 1], 'int32');
            assert.ok(tf.max(tf.abs(tf.sub(generate(G, spec, z, other, { training: false }), generate(G, spec, z, labels, { training: false })))).dataSync()[0] > 0);
          }
        });
        G.dispose();
        D.dispose();
      });
    }
  }
}

test('28 px networks are the TensorFlow DCGAN tutorial networks (parameter counts)', () => {
  const spec: NetSpec = { size: 28, channels: 1, zDim: 100, width: 64, numClasses: 0, dropout: 0.3 };
  const rng = Rng.fromSeed(1);
  const G = createGenerator(spec, rng);
  const D = createDiscriminator(spec, rng);
  // G: Dense 100→7·7·128 (no bias), BN, ConvT 5×5 128→64 (no bias), BN, ConvT 5×5 64→1 (+bias).
  assert.equal(G.countTrainable(), 100 * 7 * 7 * 128 + 2 * 128 + 25 * 128 * 64 + 2 * 64 + 25 * 64 + 1);
  // D: Conv 5×5 1→64, Conv 5×5 64→128, Dense 6272→1, all with bias.
  assert.equal(D.countTrainable(), 25 * 64 + 64 + 25 * 64 * 128 + 128 + 7 * 7 * 128 + 1);
  G.dispose();
  D.dispose();
});
