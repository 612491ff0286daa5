"""Builds the ONNX equality fixture: a PyTorch twin of our zoo network smallcnn-3-4 (src/MLNet.Subspace/Models/SmallCnn.cs)
for 1x8x8 inputs and 3 classes, with random weights and batch-norm statistics, exported to ONNX with a dynamic batch
dimension, and its state_dict. The C# test loads the state_dict into ModelZoo.Create("smallcnn-3-4", 1, 8, 3) and compares
the Conv activations and scores read through OnnxActivationSource with those of the TorchSharp network.

Run: /usr/bin/python3 bench/onnx/make_fixture.py   (Debian's python3-torch; no `onnx` package needed)
Writes tests/MLNet.Subspace.Tests/Fixtures/onnx/{smallcnn-3-4.onnx, smallcnn-3-4.pth, bad-batch.onnx}.
"""
import collections
import os

import torch
from torch import nn

OUT = os.path.join(os.path.dirname(__file__), "..", "..", "tests", "MLNet.Subspace.Tests", "Fixtures", "onnx")


class SmallCnn(nn.Module):
    """SmallCnn.cs: Conv3x3(no bias) -> BatchNorm -> ReLU, max-pooled after every second block, global average pooling, Linear."""

    def __init__(self, in_channels=1, classes=3, width=4, conv_layers=3, image_size=8):
        super().__init__()
        self.features = nn.ModuleList()
        channels, out_channels, size = in_channels, width, image_size
        for i in range(conv_layers):
            pool = i % 2 == 1 and size >= 2
            block = [("conv", nn.Conv2d(channels, out_channels, 3, padding=1, bias=False)),
                     ("bn", nn.BatchNorm2d(out_channels)),
                     ("relu", nn.ReLU(inplace=True))]
            if pool:
                block.append(("pool", nn.MaxPool2d(2)))
            self.features.append(nn.Sequential(collections.OrderedDict(block)))
            channels = out_channels
            if pool:
                out_channels *= 2
                size //= 2
        self.classifier = nn.Linear(channels, classes)

    def forward(self, x):
        for block in self.features:
            x = block(x)
        x = nn.functional.adaptive_avg_pool2d(x, 1).flatten(1)
        return self.classifier(x)


class FixedBatch(nn.Module):
    """A net whose graph pins batch 1 (a Reshape to [1, -1]): the source must fall back to one input per Run."""

    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 2, 3, padding=1, bias=False)
        self.fc = nn.Linear(2 * 8 * 8, 3)

    def forward(self, x):
        return self.fc(self.conv(x).reshape(1, -1))


def main():
    torch.manual_seed(13)
    net = SmallCnn()
    with torch.no_grad():
        for m in net.modules():
            if isinstance(m, nn.BatchNorm2d):  # non-trivial statistics, so eval-mode batch norm matters
                m.running_mean.uniform_(-0.5, 0.5)
                m.running_var.uniform_(0.5, 2.0)
                m.weight.uniform_(0.5, 1.5)
                m.bias.uniform_(-0.2, 0.2)
    net.eval()
    os.makedirs(OUT, exist_ok=True)
    torch.save(net.state_dict(), os.path.join(OUT, "smallcnn-3-4.pth"))
    example = torch.zeros(2, 1, 8, 8)
    torch.onnx.export(net, example, os.path.join(OUT, "smallcnn-3-4.onnx"), input_names=["input"], output_names=["logits"],
                      dynamic_axes={"input": {0: "N"}, "logits": {0: "N"}}, opset_version=13,
                      # PRESERVE keeps BatchNormalization nodes: in EVAL mode the exporter folds each eval-mode batch norm
                      # into the conv before it, so the ONNX "Conv" output would be the zoo's conv -> bn output.
                      training=torch.onnx.TrainingMode.PRESERVE)
    fixed = FixedBatch().eval()
    torch.onnx.export(fixed, torch.zeros(1, 1, 8, 8), os.path.join(OUT, "bad-batch.onnx"), input_names=["input"], output_names=["logits"],
                      opset_version=13)
    for name in sorted(os.listdir(OUT)):
        print(name, os.path.getsize(os.path.join(OUT, name)), "bytes")


if __name__ == "__main__":
    main()
