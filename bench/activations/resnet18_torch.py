#!/usr/bin/python3
"""PyTorch counterpart of `subspace bench-torch`: the same CIFAR-style ResNet-18 (3x3 stem, no max
pool, 1x1 conv + BN shortcuts, widths 64-512, 10 classes) on 32x32x3 inputs, batch 128.

inference: eval mode, no_grad, a forward hook on every Conv2d (20 of them) that keeps the output
           tensor (appends it to a list), cleared after each batch.
training:  SGD (lr 0.1, momentum 0.9, weight decay 5e-4), cross-entropy, random inputs and labels.

Prints one JSON line per mode: {"side": "pytorch", "mode": ..., "threads": ..., "images_per_s": mean, "best_images_per_s": best batch}.
Run with Debian's interpreter: /usr/bin/python3 resnet18_torch.py --threads 2
"""
import argparse, json, time
import torch
from torch import nn
import torch.nn.functional as F


class BasicBlock(nn.Module):
    def __init__(self, inp, planes, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(inp, planes, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(planes)
        self.conv2 = nn.Conv2d(planes, planes, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(planes)
        self.shortcut = None
        if stride != 1 or inp != planes:
            self.shortcut = nn.Sequential(nn.Conv2d(inp, planes, 1, stride, bias=False), nn.BatchNorm2d(planes))

    def forward(self, x):
        y = F.relu(self.bn1(self.conv1(x)), inplace=True)
        y = self.bn2(self.conv2(y))
        y += x if self.shortcut is None else self.shortcut(x)
        return F.relu(y, inplace=True)


class ResNet18(nn.Module):
    def __init__(self, classes=10, width=64):
        super().__init__()
        self.conv1 = nn.Conv2d(3, width, 3, 1, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(width)
        layers, inp = [], width
        for s in range(4):
            planes = width << s
            blocks = []
            for b in range(2):
                blocks.append(BasicBlock(inp, planes, 2 if b == 0 and s > 0 else 1))
                inp = planes
            layers.append(nn.ModuleList(blocks))
        self.layer1, self.layer2, self.layer3, self.layer4 = layers
        self.fc = nn.Linear(inp, classes)

    def forward(self, x):
        x = F.relu(self.bn1(self.conv1(x)), inplace=True)
        for stage in (self.layer1, self.layer2, self.layer3, self.layer4):
            for block in stage:
                x = block(x)
        return self.fc(torch.flatten(F.adaptive_avg_pool2d(x, 1), 1))


def report(a, mode, times):
    """Mean throughput and best-batch throughput (the least disturbed batch on a shared machine)."""
    print(json.dumps({"side": "pytorch", "version": torch.__version__, "mode": mode, "threads": a.threads, "batch": a.batch,
                      "images_per_s": a.batch * len(times) / sum(times), "best_images_per_s": a.batch / min(times)}), flush=True)


def main():
    p = argparse.ArgumentParser()
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--batch", type=int, default=128)
    p.add_argument("--iterations", type=int, default=5)
    p.add_argument("--warmup", type=int, default=1)
    p.add_argument("--mode", choices=["inference", "training", "both"], default="both")
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(0)
    model = ResNet18()
    x = torch.randn(a.batch, 3, 32, 32)
    y = torch.randint(0, 10, (a.batch,))

    if a.mode in ("inference", "both"):
        kept = []
        hooks = [m.register_forward_hook(lambda _m, _i, o: kept.append(o)) for m in model.modules() if isinstance(m, nn.Conv2d)]
        model.eval()
        with torch.no_grad():
            times = []
            for it in range(a.warmup + a.iterations):
                t0 = time.perf_counter()
                kept.clear()
                model(x)
                assert len(kept) == 20
                times.append(time.perf_counter() - t0)
        kept.clear()
        for h in hooks:
            h.remove()
        report(a, "inference", times[a.warmup:])

    if a.mode in ("training", "both"):
        model.train()
        opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9, weight_decay=5e-4)
        times = []
        for it in range(a.warmup + a.iterations):
            t0 = time.perf_counter()
            opt.zero_grad()
            loss = F.cross_entropy(model(x), y)
            loss.backward()
            opt.step()
            times.append(time.perf_counter() - t0)
        report(a, "training", times[a.warmup:])


if __name__ == "__main__":
    main()
