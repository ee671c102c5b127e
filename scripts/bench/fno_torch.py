#!/usr/bin/env python3
"""Time one Adam training step of the FNO of package pkg/fno in PyTorch, as a reference.

The network mirrors fno.DefaultConfig: 2 input channels plus 4 position channels, a pointwise
lifting to width 20, 4 Fourier layers keeping the modes kx = 0..8, ky = -8..8 with FiLM time
conditioning, tanh-approximated GELU after every layer but the last, and a pointwise projection
through 128 hidden channels to 1 output channel. The loss is the mean squared error against
random targets, batch 32. Inside the Fourier layers the field is channels first, the usual
PyTorch FNO layout: the spectral convolution uses torch.fft (rfft2/irfft2 over the last two
axes with norm="forward", so the forward transform carries the 1/N^2 factor as in pkg/fno) and
the pointwise path is a 1x1 Conv2d.

Usage: python3 scripts/bench/fno_torch.py [--sizes 32 64] [--steps 15] [--warmup 3]
Prints one JSON object with the median step time in seconds per grid size.

On a shared, loaded machine set OMP_WAIT_POLICY=PASSIVE: with the default (spinning) OpenMP
waits and 2 threads, a 16 MB tensor sum measured more than 100x slower at load average 6 on 2 cores
than with passive waits, and the step time follows.
"""

import argparse
import json
import math
import os
import platform
import statistics
import time

import torch
from torch import nn


def tanh_gelu(x):
    """GELU with the tanh approximation, the form pkg/nn uses."""
    return nn.functional.gelu(x, approximate="tanh")


class SpectralConvolution(nn.Module):
    """Complex channel mixing of the Fourier modes |kx|, |ky| <= m of a channels-first field."""

    def __init__(self, channels, modes):
        super().__init__()
        self.modes = modes
        scale = math.sqrt(1 / (2 * channels))
        shape = (channels, channels, 2 * modes + 1, modes + 1)
        self.weights_real = nn.Parameter(scale * torch.randn(shape))
        self.weights_imag = nn.Parameter(scale * torch.randn(shape))

    def forward(self, x):
        batch, _, n, _ = x.shape
        m = self.modes
        spectrum = torch.fft.rfft2(x, norm="forward")  # [B, C, ky, kx]
        kept = torch.cat([spectrum[:, :, n - m :, : m + 1], spectrum[:, :, : m + 1, : m + 1]], dim=2)
        weights = torch.complex(self.weights_real, self.weights_imag)
        mixed = torch.einsum("bcqk,coqk->boqk", kept, weights)
        out = torch.zeros(batch, mixed.shape[1], n, n // 2 + 1, dtype=mixed.dtype)
        out[:, :, n - m :, : m + 1] = mixed[:, :, :m]
        out[:, :, : m + 1, : m + 1] = mixed[:, :, m:]
        return torch.fft.irfft2(out, s=(n, n), norm="forward")


class FourierLayer(nn.Module):
    """sigma(FiLM(K h + W h)) with FiLM(z) = z * (1 + scale(e)) + shift(e), channels first."""

    def __init__(self, width, modes, embedding_width, activate):
        super().__init__()
        self.spectral = SpectralConvolution(width, modes)
        self.pointwise = nn.Conv2d(width, width, kernel_size=1)
        self.film_scale = nn.Linear(embedding_width, width)
        self.film_shift = nn.Linear(embedding_width, width)
        for layer in (self.film_scale, self.film_shift):
            nn.init.zeros_(layer.weight)
            nn.init.zeros_(layer.bias)
        self.activate = activate

    def forward(self, h, embedding):
        z = self.spectral(h) + self.pointwise(h)
        scale = self.film_scale(embedding)[:, :, None, None]
        shift = self.film_shift(embedding)[:, :, None, None]
        z = z * (1 + scale) + shift
        return tanh_gelu(z) if self.activate else z


class FNO(nn.Module):
    """Lifting, Fourier layers and projection, channels last: [B, N, N, C] -> [B, N, N, out]."""

    def __init__(self, in_channels=2, out_channels=1, layers=4, modes=8, width=20,
                 projection_hidden=128, time_features=32, time_max_frequency=16.0):
        super().__init__()
        half = time_features // 2
        exponents = torch.arange(half, dtype=torch.float32) / max(half - 1, 1)
        self.register_buffer("frequencies", 2 * math.pi * time_max_frequency**exponents)
        self.lift = nn.Linear(in_channels + 4, width)
        self.time = nn.Linear(time_features, 4 * width)
        self.layers = nn.ModuleList(
            FourierLayer(width, modes, 4 * width, activate=index < layers - 1) for index in range(layers)
        )
        self.project_hidden = nn.Linear(width, projection_hidden)
        self.project_out = nn.Linear(projection_hidden, out_channels)
        nn.init.zeros_(self.project_out.weight)
        nn.init.zeros_(self.project_out.bias)

    @staticmethod
    def positions(batch, n):
        angles = 2 * math.pi * torch.arange(n, dtype=torch.float32) / n
        y, x = torch.meshgrid(angles, angles, indexing="ij")
        grid = torch.stack([torch.sin(x), torch.cos(x), torch.sin(y), torch.cos(y)], dim=-1)
        return grid.expand(batch, n, n, 4)

    def forward(self, inputs, t):
        batch, n = inputs.shape[0], inputs.shape[1]
        h = self.lift(torch.cat([inputs, self.positions(batch, n)], dim=-1))
        angle = t.reshape(-1, 1) * self.frequencies
        embedding = tanh_gelu(self.time(torch.cat([torch.sin(angle), torch.cos(angle)], dim=-1)))
        h = h.permute(0, 3, 1, 2)  # channels first, as torch.fft and Conv2d expect
        for layer in self.layers:
            h = layer(h, embedding)
        h = h.permute(0, 2, 3, 1)
        return self.project_out(tanh_gelu(self.project_hidden(h)))


def time_training_step(n, batch, steps, warmup):
    """Return the median and all wall times in seconds of `steps` Adam steps after `warmup`."""
    generator = torch.Generator().manual_seed(n)
    inputs = torch.randn(batch, n, n, 2, generator=generator)
    targets = torch.randn(batch, n, n, 1, generator=generator)
    times = torch.rand(batch, generator=generator)
    model = FNO()
    optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)

    def step():
        optimizer.zero_grad(set_to_none=True)
        loss = torch.mean((model(inputs, times) - targets) ** 2)
        loss.backward()
        optimizer.step()
        return loss.item()

    for _ in range(warmup):
        step()
    durations = []
    for _ in range(steps):
        start = time.perf_counter()
        step()
        durations.append(time.perf_counter() - start)
    return statistics.median(durations), durations


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--sizes", type=int, nargs="+", default=[32, 64], help="grid sizes N")
    parser.add_argument("--batch", type=int, default=32, help="batch size")
    parser.add_argument("--steps", type=int, default=15, help="timed steps per size")
    parser.add_argument("--warmup", type=int, default=3, help="untimed steps per size")
    parser.add_argument("--threads", type=int, default=2, help="torch.set_num_threads value")
    args = parser.parse_args()

    torch.manual_seed(0)
    torch.set_num_threads(args.threads)
    results = {}
    for n in args.sizes:
        median, durations = time_training_step(n, args.batch, args.steps, args.warmup)
        results[str(n)] = {"median_s": round(median, 4), "min_s": round(min(durations), 4),
                           "max_s": round(max(durations), 4), "steps": len(durations)}
    print(json.dumps({
        "torch": torch.__version__,
        "threads": torch.get_num_threads(),
        "parallel_info": torch.__config__.parallel_info().strip().splitlines(),
        "openblas_coretype": os.environ.get("OPENBLAS_CORETYPE"),
        "omp_wait_policy": os.environ.get("OMP_WAIT_POLICY"),
        "machine": platform.processor() or platform.machine(),
        "load_average": os.getloadavg(),
        "batch": args.batch,
        "step_time": results,
    }, indent=1))


if __name__ == "__main__":
    main()
