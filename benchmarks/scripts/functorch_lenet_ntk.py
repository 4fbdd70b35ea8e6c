#!/usr/bin/python3
"""Trace NTK of DL4J's zoo LeNet with functorch (jacrev + vmap), for comparison with the project's structured path.

A comparison only, never a dependency of the project: needs Debian's python3-torch (PyTorch 1.13, functorch
included). Reads what `ConvNtkFloor n float|double rounds budget exportDir` wrote (little-endian float64): the
weights, the images x [n, 784] and the project's kernel; rebuilds the same network (conv 5x5 Same 20 relu, max
pool 2, conv 5x5 Same 50 relu, max pool 2, dense 2450 -> 500 relu, dense 500 -> 10 softmax; DL4J's dense W is
[in, out], its conv W [out, in, kh, kw] as torch's), computes the trace kernel sum_c <df_c(x_i)/dtheta,
df_c(x_j)/dtheta> and prints its time (median of rounds, after a warm-up), the peak RSS and the relative Frobenius
difference to the project's kernel.

Jacobians are formed per chunk of examples ([chunk, 10, 1 256 080] each); with --store all chunks are kept and the
kernel is their product; otherwise (when they do not fit in memory) every pair of chunks recomputes the second one.

Usage: /usr/bin/python3 benchmarks/scripts/functorch_lenet_ntk.py exportDir n float32|float64 rounds threads
       [chunk] [--store]
"""
import resource
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F
from functorch import jacrev, vmap


def load(d, name, shape, dtype):
    return torch.from_numpy(np.fromfile(f"{d}/{name}.bin", dtype="<f8").reshape(shape)).to(dtype)


def main():
    d, n, prec, rounds, threads = sys.argv[1], int(sys.argv[2]), sys.argv[3], int(sys.argv[4]), int(sys.argv[5])
    chunk = int(sys.argv[6]) if len(sys.argv) > 6 else n
    store = "--store" in sys.argv
    torch.set_num_threads(threads)
    dtype = torch.float32 if prec == "float32" else torch.float64
    params = (load(d, "conv1_W", (20, 1, 5, 5), dtype), load(d, "conv1_b", (20,), dtype),
              load(d, "conv2_W", (50, 20, 5, 5), dtype), load(d, "conv2_b", (50,), dtype),
              load(d, "dense_W", (2450, 500), dtype), load(d, "dense_b", (500,), dtype),
              load(d, "out_W", (500, 10), dtype), load(d, "out_b", (10,), dtype))
    x = load(d, "x", (n, 784), dtype)
    reference = np.fromfile(f"{d}/kernel.bin", dtype="<f8").reshape(n, n)

    def f(p, xi):
        h = xi.reshape(1, 1, 28, 28)
        h = F.max_pool2d(F.relu(F.conv2d(h, p[0], p[1], padding=2)), 2)
        h = F.max_pool2d(F.relu(F.conv2d(h, p[2], p[3], padding=2)), 2)
        h = F.relu(h.reshape(1, -1) @ p[4] + p[5])
        return torch.softmax(h @ p[6] + p[7], dim=1)[0]

    jac = vmap(jacrev(f), (None, 0))

    def flat(xs):
        js = jac(params, xs)
        return torch.cat([j.reshape(xs.shape[0] * 10, -1) for j in js], dim=1)

    def trace_gram(a, b):
        # sum_c J_c(x_i) . J_c(x_j): rows [i, (c, p)], one [n, 10 P] product (einsum 'icp,jcp->ij')
        return a.reshape(a.shape[0] // 10, -1) @ b.reshape(b.shape[0] // 10, -1).T

    def kernel():
        with torch.no_grad():
            chunks = [x[i:i + chunk] for i in range(0, n, chunk)]
            k = torch.zeros(n, n, dtype=torch.float64)
            if store:
                js = [flat(c) for c in chunks]
                for a in range(len(js)):
                    for b in range(a, len(js)):
                        blk = trace_gram(js[a], js[b]).double()
                        k[a * chunk:a * chunk + blk.shape[0], b * chunk:b * chunk + blk.shape[1]] = blk
                        k[b * chunk:b * chunk + blk.shape[1], a * chunk:a * chunk + blk.shape[0]] = blk.T
                return k
            for a in range(len(chunks)):
                ja = flat(chunks[a])
                for b in range(a, len(chunks)):
                    jb = ja if b == a else flat(chunks[b])
                    blk = trace_gram(ja, jb).double()
                    k[a * chunk:a * chunk + blk.shape[0], b * chunk:b * chunk + blk.shape[1]] = blk
                    k[b * chunk:b * chunk + blk.shape[1], a * chunk:a * chunk + blk.shape[0]] = blk.T
                    del jb
            return k

    times = []
    cpus = []
    if rounds == 0:
        # a single cold call, timed (when a warm-up would cost as much as the measurement)
        t0, c0 = time.perf_counter(), time.process_time()
        k = kernel()
        times.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    else:
        k = kernel()
    for _ in range(rounds):
        t0, c0 = time.perf_counter(), time.process_time()
        k = kernel()
        times.append(time.perf_counter() - t0)
        cpus.append(time.process_time() - c0)
    rel = np.linalg.norm(k.numpy() - reference) / np.linalg.norm(reference)
    peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    print(f"| functorch jacrev+vmap, n = {n}, {prec}, {threads} threads, chunk {chunk}{' stored' if store else ''} "
          f"| wall {np.median(times) * 1000:.0f} ms [{min(times) * 1000:.0f}, {max(times) * 1000:.0f}] "
          f"| process CPU {np.median(cpus) * 1000:.0f} ms [{min(cpus) * 1000:.0f}, {max(cpus) * 1000:.0f}] "
          f"| peak RSS {peak:.0f} MB | rel. Frobenius diff to the project's kernel {rel:.1e} |")


if __name__ == "__main__":
    main()
