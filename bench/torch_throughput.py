#!/usr/bin/env python3
"""PyTorch side of bench/train-throughput.ts: trains the same networks, built from the same
architecture descriptions (JSON on stdin), and prints training images/s as JSON on stdout.

stdin:  {"threads": 2, "batch": 128, "steps": 20, "warmup": 3,
         "nets": [{"name": ..., "inputShape": [h, w, c], "numClasses": k, "arch": {...}}]}
stdout: {"torch": "1.13.1", "threads": 2, "results": [{"name": ..., "imagesPerSec": ...}]}
Uses Debian's python3-torch (run with /usr/bin/python3).
"""
import json
import sys
import time

import torch
import torch.nn as nn
import torch.nn.functional as F

ACT = {
    "linear": lambda x: x, "relu": F.relu, "relu6": F.relu6, "elu": F.elu, "selu": F.selu, "tanh": torch.tanh,
    "sigmoid": torch.sigmoid, "swish": F.silu, "gelu": F.gelu, "softmax": lambda x: x, "softplus": F.softplus,
}


def same_pad(size, k, s, d):
    out = -(-size // s)
    total = max((out - 1) * s + (k - 1) * d + 1 - size, 0)
    return total // 2, total - total // 2


class Graph(nn.Module):
    """Runs an architecture description (NHWC semantics, computed in NCHW)."""

    def __init__(self, arch, input_shape):
        super().__init__()
        self.arch = arch
        self.mods = nn.ModuleDict()
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
                self.mods[nid] = nn.Conv2d(c, cfg["filters"], (kh, kw), (sh, sw), bias=cfg["useBias"])
                if cfg["padding"] == "same":
                    ph, pw = same_pad(h, kh, sh, 1), same_pad(w, kw, sw, 1)
                    node["_pad"] = (pw[0], pw[1], ph[0], ph[1])
                    oh, ow = -(-h // sh), -(-w // sw)
                else:
                    oh, ow = (h - kh) // sh + 1, (w - kw) // sw + 1
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

    def forward(self, x):
        vals = {}
        for node in self.arch["nodes"]:
            op, cfg, nid = node["op"], node["config"], node["id"]
            xs = [vals[i] for i in node["inputs"]]
            if op == "input":
                y = x
            elif op == "conv2d":
                y = xs[0]
                if "_pad" in node:
                    y = F.pad(y, node["_pad"])
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


def main():
    spec = json.load(sys.stdin)
    torch.set_num_threads(spec["threads"])
    torch.manual_seed(0)
    results = []
    for net in spec["nets"]:
        h, w, c = net["inputShape"]
        model = Graph(net["arch"], net["inputShape"])
        opt = torch.optim.SGD(model.parameters(), lr=0.01, momentum=0.9, weight_decay=5e-4)
        x = torch.rand(spec["batch"], c, h, w)
        y = torch.randint(0, net["numClasses"], (spec["batch"],))
        model.train()

        def step():
            opt.zero_grad()
            loss = F.cross_entropy(model(x), y)
            loss.backward()
            opt.step()

        for _ in range(spec["warmup"]):
            step()
        t0 = time.perf_counter()
        for _ in range(spec["steps"]):
            step()
        dt = time.perf_counter() - t0
        results.append({"name": net["name"], "imagesPerSec": spec["batch"] * spec["steps"] / dt})
    json.dump({"torch": torch.__version__, "threads": spec["threads"], "results": results}, sys.stdout)


if __name__ == "__main__":
    main()
