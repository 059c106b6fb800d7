#!/usr/bin/env python3
"""PyTorch side of bench/train-throughput.ts: trains the same networks, built from the same
architecture descriptions (JSON on stdin), the way a user would run PyTorch on a CPU, and prints
training images/s (by wall clock and by process CPU time) as JSON on stdout.

stdin:  {"threads": 1, "batch": 128, "steps": 8, "warmup": 2,
         "nets": [{"name": ..., "inputShape": [h, w, c], "numClasses": k, "arch": {...}}]}
stdout: {"torch": "1.13.1", "threads": 1, "malloc": "MALLOC_MMAP_THRESHOLD_=... MALLOC_TRIM_THRESHOLD_=...",
         "blas": {"name": "openblas", "path": ..., "fair": true, "note": ...},
         "results": [{"name": ..., "memoryFormat": "channels_last", "imagesPerSecWall": ..., "imagesPerSecCpu": ...,
                      "byFormat": {"channels_last": {"wall": ..., "cpu": ...}, "contiguous": {...}}}]}

Fair means: an optimised BLAS (Debian's python3-torch links libblas.so.3, which is the reference
BLAS unless OpenBLAS is installed and selected: ~20x slower on a linear layer) with as many
threads as the TF.js side (OPENBLAS_NUM_THREADS: torch.set_num_threads does not reach it), channels_last
tensors (oneDNN's fast layout on CPU; plain NCHW too, keeping the faster per network), glibc malloc
kept from returning activation buffers to the kernel every step (MALLOC_ENV), 'same' padding inside the convolution (a separate F.pad
only where TensorFlow pads asymmetrically), SGD momentum 0.9 with weight decay 5e-4 on conv and
dense kernels only, as the TF.js side does. If torch is not on OpenBLAS, this script re-runs itself on it
(LD_PRELOAD of Debian's OpenBLAS libblas.so.3), installs libopenblas0-pthread first when run as
root with apt, and otherwise reports fair=false with the command that fixes it.
Uses Debian's python3-torch (run with /usr/bin/python3).
"""
import glob
import json
import os
import shutil
import subprocess
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

ACT = {
    "linear": lambda x: x, "relu": F.relu, "relu6": F.relu6, "elu": F.elu, "selu": F.selu, "tanh": torch.tanh,
    "sigmoid": torch.sigmoid, "swish": F.silu, "gelu": F.gelu, "softmax": lambda x: x, "softplus": F.softplus,
}
REEXEC = "NASFLEET_TORCH_BENCH_REEXEC"
# glibc malloc gives freed activation buffers back to the kernel (heap trim, mmap) and page-faults
# them in again on the next step: 3-7x slower training here. Users who care set these or preload
# jemalloc; read at process start, so the script re-runs itself when they are missing.
MALLOC_ENV = {"MALLOC_MMAP_THRESHOLD_": str(32 << 20), "MALLOC_TRIM_THRESHOLD_": str(256 << 20)}
OPENBLAS_PKG = "libopenblas0-pthread"


def blas_in_use():
    """(name, path) of the BLAS this process has mapped after a matmul, from /proc/self/maps."""
    a = torch.rand(64, 64)
    (a @ a).sum().item()
    paths = set()
    with open("/proc/self/maps") as maps:
        for line in maps:
            path = line.split()[-1]
            base = os.path.basename(path)
            if path.startswith("/") and ("blas" in base or "mkl" in base or "blis" in base):
                paths.add(path)
    for name, key in (("openblas", "openblas"), ("mkl", "mkl"), ("blis", "blis"), ("atlas", "atlas")):
        # The library itself (libopenblasp-r0.3.21.so) before the libblas.so.3 shim that loads it.
        hits = sorted((p for p in paths if key in p), key=lambda p: (not os.path.basename(p).startswith("lib" + key), p))
        if hits:
            return name, hits[0]
    ref = sorted(paths)
    return ("reference", ref[0]) if ref else ("unknown", "")


def openblas_libblas():
    """Debian's OpenBLAS build of libblas.so.3 (what update-alternatives would select), if installed."""
    hits = sorted(glob.glob("/usr/lib/*/openblas-pthread/libblas.so.3") + glob.glob("/usr/lib/*/openblas*/libblas.so.3"))
    return hits[0] if hits else None


def ensure_setup(spec_text, threads):
    """Returns the BLAS report. Re-runs this script once (and exits) when that makes the run fair:
    on OpenBLAS when torch came up on the reference BLAS (installing it first as root with apt),
    with OPENBLAS_NUM_THREADS / OMP_NUM_THREADS = threads, read only when the library loads
    (torch.set_num_threads does not reach OpenBLAS's own thread pool), and with MALLOC_ENV."""
    name, path = blas_in_use()
    wanted = dict(MALLOC_ENV, OPENBLAS_NUM_THREADS=str(threads), OMP_NUM_THREADS=str(threads))
    env = {k: v for k, v in wanted.items() if os.environ.get(k) != v}
    note = ""
    if name == "reference":
        lib = openblas_libblas()
        if lib is None and os.geteuid() == 0 and shutil.which("apt-get"):
            print(f"torch_throughput.py: torch is on the reference BLAS; installing {OPENBLAS_PKG}", file=sys.stderr)
            apt_env = dict(os.environ, DEBIAN_FRONTEND="noninteractive")
            subprocess.run(["apt-get", "install", "-y", "-q", OPENBLAS_PKG], stdout=sys.stderr, env=apt_env, check=False)
            lib = openblas_libblas()
        if lib is None:
            note = f"PyTorch is on the reference BLAS; run: sudo apt-get install {OPENBLAS_PKG}"
        elif os.environ.get(REEXEC):
            note = f"LD_PRELOAD={lib} did not take effect; select it: sudo update-alternatives --config libblas.so.3-$(uname -m)-linux-gnu"
        else:
            env["LD_PRELOAD"] = (lib + " " + os.environ.get("LD_PRELOAD", "")).strip()
    if env and not os.environ.get(REEXEC):
        env[REEXEC] = "1"
        done = subprocess.run([sys.executable, os.path.abspath(__file__)], input=spec_text, text=True, env=dict(os.environ, **env), check=False)
        sys.exit(done.returncode)
    return {"name": name, "path": path, "fair": name not in ("reference", "unknown"), "note": note}


def same_pad(size, k, s):
    """TensorFlow's 'same' padding (before, after): the extra pixel, if any, goes after."""
    out = -(-size // s)
    total = max((out - 1) * s + k - size, 0)
    return total // 2, total - total // 2


class Graph(nn.Module):
    """Runs an architecture description (NHWC semantics) on NCHW tensors (channels_last or not)."""

    def __init__(self, arch, input_shape):
        super().__init__()
        self.arch = arch
        self.mods = nn.ModuleDict()
        self.extra_pad = {}
        shapes = {}
        for node in arch["nodes"]:
            op, cfg, nid = node["op"], node["config"], node["id"]
            ins = [shapes[i] for i in node["inputs"]]
            if op == "input":
                h, w, c = input_shape
                shapes[nid] = (c, h, w)
            elif op == "conv2d":
                c, h, w = ins[0]
                kh, kw = cfg["kernelSize"]
                sh, sw = cfg["strides"]
                pad = (0, 0)
                if cfg["padding"] == "same":
                    (pt, pb), (pl, pr) = same_pad(h, kh, sh), same_pad(w, kw, sw)
                    pad = (pt, pl)  # symmetric part inside the convolution
                    if pb > pt or pr > pl:
                        self.extra_pad[nid] = (0, pr - pl, 0, pb - pt)
                    oh, ow = -(-h // sh), -(-w // sw)
                else:
                    oh, ow = (h - kh) // sh + 1, (w - kw) // sw + 1
                self.mods[nid] = nn.Conv2d(c, cfg["filters"], (kh, kw), (sh, sw), padding=pad, bias=cfg["useBias"])
                shapes[nid] = (cfg["filters"], oh, ow)
            elif op == "batchNormalization":
                self.mods[nid] = nn.BatchNorm2d(ins[0][0]) if len(ins[0]) == 3 else nn.BatchNorm1d(ins[0][0])
                shapes[nid] = ins[0]
            elif op in ("maxPooling2d", "averagePooling2d"):
                c, h, w = ins[0]
                kh, kw = cfg["poolSize"]
                sh, sw = cfg["strides"]
                if cfg["padding"] == "same":
                    oh, ow = -(-h // sh), -(-w // sw)
                else:
                    oh, ow = (h - kh) // sh + 1, (w - kw) // sw + 1
                shapes[nid] = (c, oh, ow)
            elif op in ("globalAveragePooling2d", "globalMaxPooling2d"):
                shapes[nid] = (ins[0][0],)
            elif op == "flatten":
                n = 1
                for d in ins[0]:
                    n *= d
                shapes[nid] = (n,)
            elif op == "dense":
                self.mods[nid] = nn.Linear(ins[0][0], cfg["units"], bias=cfg["useBias"])
                shapes[nid] = (cfg["units"],)
            elif op in ("activation", "dropout", "add", "multiply"):
                shapes[nid] = ins[0]
            elif op == "concatenate":
                shapes[nid] = (sum(s[0] for s in ins),) + tuple(ins[0][1:])
            else:
                raise SystemExit(f"torch_throughput.py: op {op} not supported by this bench")

    def param_groups(self, weight_decay):
        """Weight decay on conv and dense kernels only (TF.js side: isDecayedWeight), not on biases or BN."""
        decayed, plain = [], []
        for mod in self.mods.values():
            for pname, p in mod.named_parameters():
                (decayed if pname == "weight" and isinstance(mod, (nn.Conv2d, nn.Linear)) else plain).append(p)
        return [{"params": decayed, "weight_decay": weight_decay}, {"params": plain, "weight_decay": 0.0}]

    def forward(self, x):
        vals = {}
        for node in self.arch["nodes"]:
            op, cfg, nid = node["op"], node["config"], node["id"]
            xs = [vals[i] for i in node["inputs"]]
            if op == "input":
                y = x
            elif op == "conv2d":
                y = xs[0]
                if nid in self.extra_pad:
                    y = F.pad(y, self.extra_pad[nid])
                y = ACT[cfg["activation"]](self.mods[nid](y))
            elif op == "batchNormalization":
                y = self.mods[nid](xs[0])
            elif op in ("maxPooling2d", "averagePooling2d"):
                fn = F.max_pool2d if op == "maxPooling2d" else F.avg_pool2d
                y = fn(xs[0], tuple(cfg["poolSize"]), tuple(cfg["strides"]), ceil_mode=cfg["padding"] == "same")
            elif op == "globalAveragePooling2d":
                y = xs[0].mean(dim=(2, 3))
            elif op == "globalMaxPooling2d":
                y = xs[0].amax(dim=(2, 3))
            elif op == "flatten":
                y = torch.flatten(xs[0].permute(0, 2, 3, 1) if xs[0].dim() == 4 else xs[0], 1)
            elif op == "dense":
                y = ACT[cfg["activation"]](self.mods[nid](xs[0]))
            elif op == "activation":
                y = ACT[cfg["activation"]](xs[0])
            elif op == "dropout":
                y = F.dropout(xs[0], cfg["rate"], self.training)
            elif op == "add":
                y = xs[0]
                for other in xs[1:]:
                    y = y + other
            elif op == "multiply":
                y = xs[0]
                for other in xs[1:]:
                    y = y * other
            elif op == "concatenate":
                y = torch.cat(xs, dim=1)
            vals[nid] = y
        return vals[self.arch["output"]]


def measure(net, spec, channels_last):
    """(wall, cpu) images/s of `spec["steps"]` training steps after `spec["warmup"]` ones."""
    h, w, c = net["inputShape"]
    torch.manual_seed(0)
    model = Graph(net["arch"], net["inputShape"])
    x = torch.rand(spec["batch"], c, h, w)
    if channels_last:
        model = model.to(memory_format=torch.channels_last)
        x = x.contiguous(memory_format=torch.channels_last)
    opt = torch.optim.SGD(model.param_groups(5e-4), lr=0.01, momentum=0.9)
    y = torch.randint(0, net["numClasses"], (spec["batch"],))
    model.train()

    def step():
        opt.zero_grad()
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        opt.step()

    for _ in range(spec["warmup"]):
        step()
    wall0, cpu0 = time.perf_counter(), time.process_time()
    for _ in range(spec["steps"]):
        step()
    wall, cpu = time.perf_counter() - wall0, time.process_time() - cpu0
    images = spec["batch"] * spec["steps"]
    return images / wall, images / cpu


def main():
    spec_text = sys.stdin.read()
    spec = json.loads(spec_text)
    torch.set_num_threads(spec["threads"])
    blas = ensure_setup(spec_text, spec["threads"])
    results = []
    for net in spec["nets"]:
        # channels_last is oneDNN's fast layout, but not for every network (here the small CNN on
        # 32x32x3 trains ~3x slower in it: its ReLU and pooling backward run off the fast path);
        # a user would keep the faster one, so both are timed and the faster (by CPU time) is kept.
        rates = {fmt: measure(net, spec, fmt == "channels_last") for fmt in ("channels_last", "contiguous")}
        best = max(rates, key=lambda fmt: rates[fmt][1])
        results.append({
            "name": net["name"], "memoryFormat": best, "imagesPerSecWall": rates[best][0], "imagesPerSecCpu": rates[best][1],
            "byFormat": {fmt: {"wall": r[0], "cpu": r[1]} for fmt, r in rates.items()},
        })
    malloc = " ".join(f"{k}={os.environ.get(k)}" for k in MALLOC_ENV)
    json.dump({"torch": torch.__version__, "threads": torch.get_num_threads(), "blas": blas, "malloc": malloc, "results": results}, sys.stdout)


if __name__ == "__main__":
    main()
