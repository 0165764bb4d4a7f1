/**
 * PSNR and SSIM against scikit-image's (test/fixtures/fidelity.json, made
 * once by test/fixtures/fidelity_fixture.py), not against our own output.
 */
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { cropBorder, fidelity, luma, psnr, ssim } from '../../main/judges/fidelity.js';

const fixture = JSON.parse(readFileSync(new URL('../../../test/fixtures/fidelity.json', import.meta.url), 'utf8')) as {
  width: number;
  height: number;
  original: number[];
  reconstruction: number[];
  lumaOfOriginal: number[];
  rgb: { border: number; psnr: number; ssim: number }[];
  gray: { a: number[]; b: number[]; psnr: number; ssim: number };
};
const { width, height } = fixture;
const rgb = (data: number[]) => ({ data, width, height, channels: 3 });

test('luma is BT.601 video-range Y, as scikit-image’s rgb2ycbcr', () => {
  const y = luma(rgb(fixture.original));
  fixture.lumaOfOriginal.forEach((want, i) => assert.ok(Math.abs(y[i] - want) < 1e-9, `pixel ${i}: ${y[i]} vs ${want}`));
});

for (const c of fixture.rgb) {
  test(`RGB, border ${c.border}: PSNR and SSIM on luma match scikit-image`, () => {
    const f = fidelity(rgb(fixture.reconstruction), rgb(fixture.original), c.border);
    assert.ok(Math.abs(f.psnr - c.psnr) < 1e-6, `PSNR ${f.psnr} vs ${c.psnr}`);
    assert.ok(Math.abs(f.ssim - c.ssim) < 1e-6, `SSIM ${f.ssim} vs ${c.ssim}`);
  });
}

test('one channel: the plane itself, as scikit-image computes it', () => {
  const a = Float64Array.from(fixture.gray.a);
  const b = Float64Array.from(fixture.gray.b);
  assert.ok(Math.abs(psnr(a, b) - fixture.gray.psnr) < 1e-6);
  assert.ok(Math.abs(ssim(a, b, width, height) - fixture.gray.ssim) < 1e-6);
});

test('identical images: infinite PSNR and SSIM 1; a border too wide and images too small are refused', () => {
  const y = luma(rgb(fixture.original));
  assert.equal(psnr(y, y), Infinity);
  assert.ok(Math.abs(ssim(y, y, width, height) - 1) < 1e-12);
  assert.throws(() => cropBorder(y, width, height, 20), /nothing left/);
  assert.throws(() => ssim(new Float64Array(100), new Float64Array(100), 10, 10), /at least 11×11/);
});
