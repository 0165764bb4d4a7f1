#!/usr/bin/env python3
"""PyTorch peer of GAN Studio's reference workload, for `gan-studio bench --peer`.

The TensorFlow DCGAN tutorial networks for 28x28x1, batch 64, one D step and
one G step with BCE and Adam, built the way GAN Studio builds them: G runs
forward once per step, D scores the real and the generated batch as one batch
of 128, then the updated D scores the generated batch again for G's loss.

Protocol (stdin/stdout, one JSON object per line):
  -> {"steps": N}            train N steps
  <- {"ms": [t1, ..., tN]}   milliseconds per step
The first line written is {"ready": true, "torch": VERSION, "threads": T}.
"""
import argparse
import json
import os
import sys
import time

import torch
from torch import nn


def generator(z_dim=100):
    return nn.Sequential(
        nn.Linear(z_dim, 7 * 7 * 128, bias=False),
        nn.Unflatten(1, (128, 7, 7)),
        nn.BatchNorm2d(128, momentum=0.01, eps=1e-3),
        nn.LeakyReLU(0.2),
        nn.ConvTranspose2d(128, 64, 5, stride=2, padding=2, output_padding=1, bias=False),
        nn.BatchNorm2d(64, momentum=0.01, eps=1e-3),
        nn.LeakyReLU(0.2),
        nn.ConvTranspose2d(64, 1, 5, stride=2, padding=2, output_padding=1),
        nn.Tanh(),
    )


def discriminator():
    return nn.Sequential(
        nn.Conv2d(1, 64, 5, stride=2, padding=2),
        nn.LeakyReLU(0.2),
        nn.Dropout(0.3),
        nn.Conv2d(64, 128, 5, stride=2, padding=2),
        nn.LeakyReLU(0.2),
        nn.Dropout(0.3),
        nn.Flatten(),
        nn.Linear(7 * 7 * 128, 1),
    )


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--threads", type=int, default=os.cpu_count() or 1)
    parser.add_argument("--batch", type=int, default=64)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(1)
    n = args.batch
    G, D = generator(), discriminator()
    opt_g = torch.optim.Adam(G.parameters(), lr=2e-4, betas=(0.5, 0.999))
    opt_d = torch.optim.Adam(D.parameters(), lr=2e-4, betas=(0.5, 0.999))
    bce = nn.BCEWithLogitsLoss()
    ones, zeros = torch.ones(n, 1), torch.zeros(n, 1)
    # Timing only: real images are random values in the data's range.
    real = torch.rand(n, 1, 28, 28) * 2 - 1

    def step():
        fake = G(torch.randn(n, 100))
        logits = D(torch.cat([real, fake.detach()]))
        loss_d = bce(logits[:n], ones) + bce(logits[n:], zeros)
        opt_d.zero_grad(set_to_none=True)
        loss_d.backward()
        opt_d.step()
        loss_g = bce(D(fake), ones)
        opt_g.zero_grad(set_to_none=True)
        loss_g.backward()
        opt_g.step()

    print(json.dumps({"ready": True, "torch": torch.__version__, "threads": torch.get_num_threads()}), flush=True)
    for line in sys.stdin:
        if not line.strip():
            continue
        steps = int(json.loads(line)["steps"])
        times = []
        for _ in range(steps):
            t0 = time.perf_counter()
            step()
            times.append((time.perf_counter() - t0) * 1000)
        print(json.dumps({"ms": times}), flush=True)


if __name__ == "__main__":
    main()
