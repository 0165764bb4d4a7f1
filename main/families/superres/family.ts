/** The super-resolution family (task 'superres'): a generator that undoes a fixed downscaling, trained for PSNR and then against a patch discriminator. */
import type { MetricColumns, ModelFamily } from '../family.js';
import { SrTrainer } from './trainer.js';

/** Migration 006's columns: the model's and bicubic upscaling's fidelity on the held-out images. */
const fidelityColumns: MetricColumns = {
  names: ['psnr', 'ssim', 'psnr_bicubic', 'ssim_bicubic', 'fid_bicubic'],
  write: (e) => ({
    psnr: e.fidelity?.psnr ?? null,
    ssim: e.fidelity?.ssim ?? null,
    psnr_bicubic: e.fidelity?.psnrBicubic ?? null,
    ssim_bicubic: e.fidelity?.ssimBicubic ?? null,
    fid_bicubic: e.fidelity?.fidBicubic ?? null,
  }),
  read: (row, number) =>
    row.psnr == null || row.psnr_bicubic == null
      ? null
      : { fidelity: { psnr: row.psnr, ssim: row.ssim as number, psnrBicubic: row.psnr_bicubic, ssimBicubic: row.ssim_bicubic as number, fidBicubic: number(row.fid_bicubic) } },
};

export const superResFamily: ModelFamily<SrTrainer> = {
  task: 'superres',
  label: 'super-resolution',
  does: 'it upscales images (gan-studio upscale)',
  can: ['upscale', 'export-model'],
  refuseData: (config, dataset) => {
    const info = dataset(config.dataset);
    const { crop } = config.superres!;
    if (info.size < crop) return `dataset ${config.dataset} has ${info.size} px images, smaller than the ${crop} px crops; import it at a larger size or choose a smaller crop`;
    if (info.imageCount < 2) return `dataset ${config.dataset} has one image; super-resolution needs at least one to train on and one to measure with`;
    return null;
  },
  createTrainer: (config, data, from) => SrTrainer.create(config, data, from),
  networkSettings: (config) => (config.superres ? [config.superres.scale, config.superres.blocks, config.superres.feats, config.superres.dWidth] : []),
  load: (c) => SrTrainer.fromCheckpoint(c),
  host: () => import('./host.js').then((m) => m.superResHost),
  nextStep: (run) => `upscale: gan-studio upscale --run ${run} IMAGE… --out DIR`,
  metricColumns: fidelityColumns,
  // The end of the PSNR phase: either phase can be exported.
  pinnedSteps: (config) => (config.superres ? [config.superres.psnrSteps] : []),
  runName: (config) => `${config.dataset.replace(/^builtin:/, '')} super-resolution ×${config.superres!.scale}`,
};
