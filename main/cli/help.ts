import { PROJECT_STARTS, PROJECT_STEPS } from '../latent/defaults.js';
export const USAGE = `GAN Studio — train, watch and explore generative adversarial networks

Usage: gan-studio <command> [options]

Commands:
  train      train a GAN on a dataset (default: builtin:mnist, 1200 steps), a super-resolution or a translation model
  resume     continue a run from its newest checkpoint
  sweep      a grid of variants of one run (presets, losses, learning rates, seeds), queued as one group
  sample     write PNG images from a trained run
  generate   write PNG images of a written prompt from a text-to-image run (train --model text)
  upscale    enlarge images with a super-resolution run (train --task superres)
  translate  translate images with a pix2pix or CycleGAN run (train --task pix2pix|cyclegan)
  project    find the latent of a GAN run that draws each image (GAN inversion)
  edit       change an attribute of an image with a GAN run (its latent moved along a direction)
  runs       list, show, compare or delete runs
  import     make a dataset from a folder, a .zip, image files or dataset files (IDX, NumPy, CIFAR)
  datasets   list, show or delete datasets
  serve      open the studio in a web browser (browser mode)
  worker     train runs queued on a Redis by studios elsewhere (remote GPU workers)
  queue      this studio's runs queued for remote workers: their order, reorder, cancel
  interpolate  an animated GIF walking the latent space through keyframe seeds
  export     a folder of generated images, or the generator as a TensorFlow.js model
  backends   show which tensor backends work on this machine
  bench      time a training step on each backend (and PyTorch beside it with --peer)
  playground train small MLPs on 2D points (ring, grid, spiral) and print mode coverage
  augment-study  does a GAN's synthetic data help a classifier? K real images per class ± M generated

Run \`gan-studio <command> --help\` for a command's options.
Data lives in $GAN_STUDIO_HOME (default: the platform's application-data folder).`;

export const COMMAND_HELP: Record<string, string> = {
  train: `Usage: gan-studio train [options]

  --dataset NAME        dataset to learn: builtin:mnist (default) or one you imported
  --model dcgan|cdcgan|text  unconditional, class-conditional on the dataset's labels, or
                        conditioned on its captions (text-to-image, GAN-INT-CLS) (default dcgan)
  --loss bce|hinge|lsgan|wgan-gp   (default: the preset's — hinge for quality; bce, the
                        non-saturating loss, for tutorial and text-to-image runs)
  --steps N             generator steps (default 1200)
  --batch B             images per minibatch (default 64)
  --d-steps K           discriminator steps per generator step (default 1; 5 for wgan-gp)
  --lr-g X, --lr-d Y    Adam learning rates (default 0.0002)
  --z-dim N             latent size (default 100)
  --width N             network width (default 64)
  --ema DECAY           averaged generator for samples (default 0.999; 0 turns it off)
  --augment auto|on|off|ada  what D sees: DiffAugment (on; auto: datasets under 5,000 images),
                        or ada: the ADA paper's augmentations at a probability p that rises
                        while D is sure of the real images (at most 0.8; docs/ada.md)
  --from RUN            fine-tune: start from that run's newest weights on --dataset (same family,
                        networks and resolution; fresh optimisers, step 0; docs/fine-tune.md)
  --freeze-d N          with --from: hold D's first N blocks at the parent's weights (FreezeD)
  --checkpoint-every N  steps between checkpoints (default 200)
  --sample-every N      steps between preview grids of fixed latents (default 50)
  --seed S              random seed (default 1)
  --backend auto|webgpu|tensorflow|wasm|cpu  (default auto: the fastest that works; webgpu takes a software adapter too)
  --json                one JSON object per line; the last is a summary
  --estimate            start nothing: time 5 steps here (after a few seconds' warm-up) and say what the
                        run takes, and what similar finished runs needed to reach --fid X (default:
                        the FID all of them reached); train prints the latter before every run

Text to image (--model text, a captioned dataset; builtin:mnist has captions
made from its labels): an image–text encoder is trained on the captions first,
then a GAN conditioned on its caption vectors with a matching-aware
discriminator. --steps counts both phases (default 300 + 1200).
  --encoder-steps N     steps of the encoder phase (default 300)
  --interpolate F       share of G's batch drawn from mixes of two captions (default 0.5)

Super-resolution (--task superres): a model that enlarges images, trained on
random crops of the dataset's images and their reduced versions; a tenth of
the images (up to 24) are held out and measured at every checkpoint (PSNR and
SSIM against bicubic, patch FID).
  --task generate|text2image|superres|pix2pix|cyclegan|mlp|fastgan   (default generate;
                        text2image is --model text; mlp: the 2014 GAN's fully connected
                        networks on 28 or 32 px images, the smallest model family;
                        fastgan: a generator for a few hundred of your own images at
                        64, 128 or 256 px, defaults for small data: docs/fastgan.md)
  --scale 2|4           enlargement (default 4)
  --crop 28|32|64|128   side of the training crops, high resolution (default 64)
  --downscale area|bicubic   how the low-resolution version is made (default area)
  --degradation none|realistic   realistic: blur, noise and JPEG on the inputs, drawn
                        per image as Real-ESRGAN does, for real photos (default none)
  --psnr-steps N        steps of L1 alone before the adversarial phase (default: two thirds)
  --blocks N, --feats N residual blocks and features of the generator (default 8, 32)
  --d-width N           the patch discriminator's first width, doubled at each stride (default 16)
  --content-weight W, --adv-weight W, --fm-weight W   loss weights of the adversarial phase (default 1, 0.005, 0)
  --adv-loss ragan|bce  relativistic average (ESRGAN, default) or standard
  --flips on|off        random flips and quarter turns of the crops (default on)
  --schedule cosine|constant   cosine: the learning rates fall to a tenth along the
                        PSNR phase and stay there (default); constant: they do not
  With --task superres, --steps defaults to 3000, --batch to 16, --checkpoint-every
  to 500 and the learning rates to 0.001.

Image-to-image translation: pix2pix learns input → image from pairs (--task
pix2pix), CycleGAN between two unpaired collections (--task cyclegan). A
tenth of the images (up to 500) are held out and measured at every checkpoint.
  --task pix2pix|cyclegan
  --source gray|edges|mask|pairs   pix2pix's inputs: each image's grayscale (colourise),
                        its Canny edges (edges → image), the image with a square
                        blanked (fill in), or an imported paired dataset (default gray)
  --dataset-b NAME      CycleGAN's domain B: another dataset of the same size and channels
  --class-a C, --class-b C   or the domains as two classes of --dataset
  --ngf N, --ndf N      first widths of the generators and discriminators (default 32)
  --norm instance|batch (default instance)
  --dropout P           pix2pix: dropout in the U-Net's middle decoder layers (default 0.5)
  --l1-weight W         pix2pix: the L1 term (default 100)
  --adv-weight W        the adversarial term (default 1; 0 is "L1 alone", no discriminator)
  --cycle-weight W      CycleGAN: cycle consistency (default 10)
  --identity S          CycleGAN: identity weight as a share of the cycle weight (default 0.5)
  --blocks N            CycleGAN: residual blocks per generator (default 6; 9 above 128 px)
  --pool N              CycleGAN: past generated images each discriminator sees (default 50)
  --decay linear|constant   linear: the learning rates fall to 1 % over the second half (default)
  --canny-sigma S, --canny-low L, --canny-high H   edges: smoothing and thresholds (default 1, 0.1, 0.2)
  --mask-size F         mask: the blanked square's side as a share of the image's (default 0.5)
  --flips on|off        random mirroring of training images (default on)
  With a translation task, --steps defaults to 2000, --batch to 8 (pix2pix) or 4
  (CycleGAN), --checkpoint-every to 500, Adam to 0.0002 with β1 0.5.

Remote training (a \`gan-studio worker\` elsewhere trains it):
  --remote              queue the run on the studio's Redis instead of training here
  --redis URL           redis://[user:password@]host:6379[/db] (or GAN_STUDIO_REDIS; else the one set in Settings)
  --tls                 connect with TLS (as rediss:// does)
  --detach              return once queued; the studio keeps what the worker trains whenever it is open
  --priority high|normal|low  its place in the queue (default normal; high goes before normal, low after)
  --delay MINUTES       no worker takes it before then

Ctrl-C stops after the current step and saves a checkpoint.`,
  resume: `Usage: gan-studio resume --run ID [--steps N] [--sample-every N] [--json] [--remote [--redis URL] [--detach] [--priority P] [--delay MINUTES]]

  Continues a stopped or interrupted run from its newest checkpoint, up to its
  target step, or N steps more with --steps; --remote continues it on a worker.`,
  sweep: `Usage: gan-studio sweep --vary AXIS=V1,V2,… [--vary …] [--name NAME] [train's options] [--remote …]

  Every combination of the values given (at most 16 runs), each a run named for
  what it tries, all with one tag (sweep-DATE-TIME) that opens them side by side
  in the studio's compare. Here they train one after another; with --remote they
  are queued for workers (with --priority, --delay and --detach as for train).
  Axes: preset (quality, tutorial), loss (bce, hinge, lsgan, wgan-gp),
        lr (both networks' learning rate), seed.
  The other options are train's and set what every variant shares, e.g.
    gan-studio sweep --dataset builtin:mnist --steps 600 --vary loss=bce,hinge --vary seed=1,2
  At the end: a table of the runs, best FID first. --json prints JSON lines.
  Ctrl-C stops the sweep's runs (the one training saves a checkpoint).`,
  queue: `Usage: gan-studio queue [--redis URL] [--tls] [--first RUN,…] [--cancel RUN,…] [--yes] [--json]

  This studio's runs on the remote queue (--redis, GAN_STUDIO_REDIS, or the Redis
  set in the studio's Settings): those
  training, then the waiting ones in the order workers will take them, then the
  delayed with when they are due.
  --first RUN,…   these waiting runs first, in this order (the rest keep theirs after them)
  --cancel RUN,…  stop these runs (a waiting run leaves the queue; asks first, or --yes)`,
  worker: `Usage: gan-studio worker --redis URL [--tls] [--backend B] [--concurrency N] [--name NAME]

  Takes runs that studios queued on the Redis at URL (redis://[user:password@]host:6379[/db],
  or GAN_STUDIO_REDIS), trains them here and sends back metrics, checkpoints and samples.
  --backend B       the tensor backend (default: the run's, auto picks the best here)
  --concurrency N   runs trained at once (default 1)
  --name NAME       how studios see this worker (default host-pid)
  --lock-ms MS      how long the worker may be silent before its run is handed to another (default 30000)
  --stop-wait S     on Ctrl-C, how long to wait for Redis to take the run back before quitting (default 15)
  Datasets are cached under $GAN_STUDIO_HOME/worker-cache by content hash.
  Ctrl-C: a run in training saves a checkpoint and goes back to the queue.`,
  sample: `Usage: gan-studio sample --run ID --out DIR [options]

  --count N     images to write (default 64)
  --seed S      latent seed (default 1): the same seed gives the same images
  --class K     class-conditional runs: only class K
  --step N      the checkpoint to use (default: the newest)
  --backend B   tensor backend (default auto)
  --json        print a JSON summary`,
  upscale: `Usage: gan-studio upscale --run ID IMAGE… --out DIR [options]

  Enlarges each image by the run's scale (its averaged generator, newest
  checkpoint) and writes DIR/NAME.png. Any size: large images go through in
  overlapping tiles that join without seams. Grey images come back grey,
  transparency is kept. Every image (24 MB at most) is checked before anything
  is written; outputs over 64 megapixels are refused.
  --tile N      low-resolution pixels per tile side (default 128)
  --step N      the checkpoint to use (default: the newest)
  --backend B   tensor backend (default auto)
  --json        one JSON line per image`,
  translate: `Usage: gan-studio translate --run ID IMAGE… --out DIR [options]

  Translates each image with the run's model (its averaged generator, newest
  checkpoint) and writes DIR/NAME.png, the input's size. Any size: images go
  through in overlapping tiles of the training size, blended without seams.
  Transparency is kept. Every image is checked before anything is written.
  --direction AtoB|BtoA  CycleGAN: which generator (default AtoB; pix2pix has only AtoB)
  --derive      pix2pix: make the input from the image as training did (its Canny
                edges for edges → image, a blanked centre for fill-in); without it
                the image is the input (a drawing, a gray photo)
  --step N      the checkpoint to use (default: the newest)
  --backend B   tensor backend (default auto)
  --json        one JSON line per image`,
  project: `Usage: gan-studio project --run ID IMAGE… --out DIR [options]

  Finds, for each image, the latent (and class, for a cdcgan run) whose
  generated image matches it: Adam on the latent from several starts, on
  pixel, judge-feature and discriminator-feature distances. Writes DIR/NAME.png
  (the reconstruction) and DIR/NAME.json (the latent, for gan-studio edit).
  Images are fitted to the run's size as the importer fits them.
  --steps N     optimisation steps (default ${PROJECT_STEPS})
  --starts S    starts per image (default ${PROJECT_STARTS}; a cdcgan run one per class at least)
  --encoder     train the run's encoder for this checkpoint first (once; kept with the
                run) and start from its guess; a kept encoder is used without it
  --judge-weight W  weight of the judge-feature distance (default 0.05; 0 for pixels only)
  --d-weight W  weight of the discriminator-feature distance (default 0: it doubles the
                time for little gain on MNIST)
  --step N      the checkpoint to use (default: the newest)
  --backend B   tensor backend (default auto)
  --json        one JSON line per image`,
  edit: `Usage: gan-studio edit --run ID IMAGE|LATENT.json --direction NAME --amount A --out FILE [options]

  Projects the image (or takes a latent written by gan-studio project), moves
  it A standard deviations along the direction and writes the result as PNG,
  with every attribute's reading before and after.
  --direction NAME  an attribute: one of the dataset's classes (read by its judge),
                    a part of class names like old_tone3, thickness or slant
                    (grayscale); or a principal direction pc1…pc16
  --amount A    how far, in σ, −10…10 (default 3)
  --keep NAME   make the direction orthogonal to this attribute's (repeatable), so
                moving it leaves that one as it was
  --step N, --steps N, --starts S, --encoder, --judge-weight W, --d-weight W, --backend B as for project
  --json        a JSON summary`,
  'augment-study': `Usage: gan-studio augment-study --dataset NAME [options]
       gan-studio augment-study --resume ID | --show ID | --list

  Trains a classifier on K real images per class, on the same K plus M images
  per class drawn by a class-conditional GAN trained on those same K images,
  and on the K with classic augmentation (shifts, and mirroring where the
  classes allow it), each measured on test images (a fifth of each class, at
  most 500) that no GAN or classifier of any study trains on. GAN runs the
  study needs are taken from existing runs on the same subset or queued and
  trained like any run (tagged augment-study). Measured cells are saved as
  they finish: a stopped or interrupted study resumes where it was.

  --dataset NAME      a labelled dataset (builtin:mnist or one you imported with classes)
  --per-class LIST    K, real images per class (default 10,50,200,all)
  --synthetic LIST    M per class as multiples of K; 0 is real images alone (default 0,1,4,10)
  --seeds N           seeds per K: each draws its own K images, GAN and classifier (default 3)
  --seed S            the first seed (default 1)
  --classifier judge|small  the judge's CNN or one of half its width (default judge)
  --steps N           classifier steps of 64 images, the same for every arm (default 300)
  --gan-steps N       steps of each GAN the study trains (default: the run default, 1200)
  --flips auto|on|off classic augmentation mirrors images (auto: unless the classes are digits or letters)
  --no-train-gans     use existing runs only; K without one get no synthetic arm
  --name TEXT         the study's name
  --csv FILE          also write every classifier's accuracy (and per class) as CSV
  --json              the report as JSON`,
  playground: `Usage: gan-studio playground [--dist ring|grid|spiral] [options]

  Trains the 2D playground's default GAN (MLP generator and discriminator) on
  points and prints the mode-coverage figures over 2,500 samples: a sample is
  high quality within 3σ of its nearest mode, a mode is covered when it is the
  nearest to a high-quality sample. The spiral has no discrete modes: its
  figures are the share of samples within 3σ of the curve and the share of the
  curve reached.

  --dist ring|grid|spiral  8 Gaussians on a circle, a 5×5 grid, or a spiral (default ring)
  --steps N      training steps (default 3000)
  --seed S       random seed (default 1)
  --d-steps K    discriminator updates per generator update (default 1)
  --backend B    tensor backend (default wasm)
  --json         progress lines, then a summary object`,
  bench: `Usage: gan-studio bench [options]

  Times the reference step — the TensorFlow DCGAN tutorial networks for 28×28×1,
  batch 64, one D and one G step with BCE and Adam — on each available backend:
  median ms/step, images/s, effective GFLOP/s and a per-kernel breakdown. A
  software WebGPU adapter is timed only when asked for with --backend webgpu.

  --workload W   reference (28×28×1 digits) or rgb64 (the same recipe at 64×64 RGB)
  --batch N      batch size (default 64)
  --peer         also run bench/pytorch_dcgan.py (needs PyTorch), taking turns, and print PyTorch/ours
  --steps N      timed steps per engine (default 12)
  --warmup N     untimed steps first (default 2)
  --rounds R     turns with the peer (default 4)
  --backend B    only this backend (webgpu, tensorflow, wasm or cpu)
  --threads N    threads for PyTorch (default: all cores)
  --json         one machine-readable object`,
  runs: `Usage: gan-studio runs [list|show ID|compare ID ID…|delete ID] [--json]

  list      every run with its status and step (the default)
  show      one run: settings, last metrics, checkpoints, samples
  compare   the settings that differ and the last metrics side by side
  delete    a run with its checkpoints and samples (asks first; --yes to skip)`,
  backends: `Usage: gan-studio backends [--json]`,
  import: `Usage: gan-studio import PATH… --name NAME [options]

  PATH is a folder (read recursively), a .zip, or image files: PNG, JPEG, WebP,
  GIF (first frame), TIFF, BMP, AVIF. In a folder or zip, each first-level
  subfolder is a class (for --model cdcgan); a flat folder is unlabelled.
  Dataset files bring their labels: IDX (train-images-idx3-ubyte with
  train-labels-idx1-ubyte, .gz or not), NumPy .npy/.npz (x_train with y_train,
  images with labels), CIFAR batches (data_batch_N.bin, batches.meta.txt), and
  a CSV of file,label; a classes.txt beside IDX or NumPy files names the classes.
  A malformed dataset file stops the import with what is wrong.
  Exact duplicates are imported once; broken, unsafe or non-image files are
  skipped and listed with the reason. Nothing is saved unless the import ends.

  --name NAME           the dataset's name (train it with --dataset NAME)
  --size 28|32|64|128|256|512   square side in pixels (default 64; above 128 for super-resolution only)
  --channels 1|3|auto   grayscale or RGB (default auto: grayscale if every image is)
  --fit crop|pad|stretch|tiles  each image reduced to the size: centre crop (default),
                        pad, or stretch; or tiles: the original pixels kept, every whole
                        size×size tile an image (super-resolution)
  --pairs folders|side-by-side  paired data for pix2pix (train --source pairs): folders A/
                        and B/ with matching file names, or each image's left half (A)
                        beside its right half (B); files without a partner are listed
  --max-side N          with --fit tiles: keep original size up to N px on the longer
                        side, reduce larger images to it (default 2048)
  --background #RRGGBB  colour under transparency and around padding (default #ffffff)
  --max-pixels N        refuse images with more pixels (default 100000000)
  --captions FILE       a CSV (file,caption header) or JSON ({"file": "caption" | [...]})
                        of captions, names relative to the folder imported; captions.csv,
                        captions.json and captions.txt inside the folders are read anyway,
                        and class folder names caption the images nothing else describes
  --json                print the report as JSON

Ctrl-C cancels; nothing is kept.`,
  generate: `Usage: gan-studio generate --run ID --prompt "…" --out DIR [options]

  Images of a prompt from a text-to-image run (train --model text). Words the
  run never saw in its captions are listed and ignored; a prompt of none of
  its words is refused.

  --count N     images (default 16), each from its own latent
  --seed S      latent seed (default 1; the same seed draws the same images)
  --step N      the checkpoint to use (default: the newest)
  --backend auto|webgpu|tensorflow|wasm|cpu
  --json        one JSON line describing what was written`,
  interpolate: `Usage: gan-studio interpolate --run ID --keyframes SEED,SEED[,…] --out walk.gif [options]

  --frames N    frames in the walk (default 48)
  --slerp       spherical interpolation (keeps latents at the prior's typical norm)
  --fps F       frames per second (default 12)
  --scale S     enlarge each frame S× with hard pixel edges (default 4)
  --class K     class-conditional runs: the class to draw (default 0)
  --step N      the checkpoint to use (default: the newest)
  --json        print a JSON summary`,
  export: `Usage: gan-studio export --run ID --format images|tfjs --out DIR [options]

  images: N generated PNGs from the run's averaged generator, for data augmentation
    --count N      images (default 1000), per class with --per-class
    --per-class    class-conditional runs: one subfolder of N images per class
    --seed S       latent seed (default 1)
  tfjs: the generator as a TensorFlow.js LayersModel (model.json + weights.bin);
    inputs z (and label_onehot for cdcgan), output images in [-1, 1];
    super-resolution runs: input low-resolution images of any size in [-1, 1]
  --step N       the checkpoint at step N (default the newest); a super-resolution
                 run keeps the end of its PSNR phase, so either phase can be exported
  --json         print a JSON summary`,
  serve: `Usage: gan-studio serve [--port P] [--host H] [--redis URL [--tls]]

  Serves the studio's interface and API (default http://127.0.0.1:7860).
  --redis URL: the Redis of remote workers (or GAN_STUDIO_REDIS; else the one set in Settings), for runs queued there.
  Bound to anything but loopback, access needs the token printed in the URL.`,
  datasets: `Usage: gan-studio datasets [list|show NAME|delete NAME] [--json] [--yes]

  list      every dataset: built in and imported
  show      one dataset: classes, and its import report
  delete    an imported dataset (asks first; --yes to skip). Source files are not touched.`,
};
