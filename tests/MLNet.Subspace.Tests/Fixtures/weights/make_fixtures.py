"""Writes the PyTorch fixtures of ModelWeightsTests: a tiny SmallCnn-shaped network
(1 input channel, 8x8 images, width 2, 2 conv layers, 3 classes) with the same parameter names as
MLNet.Subspace.Models.SmallCnn, saved as a torch.save(state_dict) zip and as safetensors, plus a
fixed input and PyTorch's logits for it (eval mode)."""
import collections, json, struct
import numpy as np
import torch
from torch import nn

torch.manual_seed(1234)


class SmallCnn(nn.Module):
    def __init__(self):
        super().__init__()
        self.features = nn.ModuleList([
            nn.Sequential(collections.OrderedDict(conv=nn.Conv2d(1, 2, 3, padding=1, bias=False), bn=nn.BatchNorm2d(2), relu=nn.ReLU())),
            nn.Sequential(collections.OrderedDict(conv=nn.Conv2d(2, 2, 3, padding=1, bias=False), bn=nn.BatchNorm2d(2), relu=nn.ReLU(), pool=nn.MaxPool2d(2))),
        ])
        self.classifier = nn.Linear(2, 3)

    def forward(self, x):
        for block in self.features:
            x = block(x)
        return self.classifier(torch.flatten(nn.functional.adaptive_avg_pool2d(x, 1), 1))


model = SmallCnn()
model.train()
with torch.no_grad():
    model(torch.randn(16, 1, 8, 8) * 2 + 1)  # non-trivial batch-norm statistics
model.eval()
x = torch.randn(4, 1, 8, 8)
with torch.no_grad():
    logits = model(x)
state = model.state_dict()
torch.save(state, "smallcnn-1x8x8-w2-l2-c3.pth")

header, blobs, offset = {}, [], 0
for name, t in state.items():
    a = t.contiguous().numpy()
    dtype = {np.float32: "F32", np.int64: "I64"}[a.dtype.type]
    b = a.tobytes()
    header[name] = {"dtype": dtype, "shape": list(a.shape), "data_offsets": [offset, offset + len(b)]}
    blobs.append(b)
    offset += len(b)
text = json.dumps(header).encode()
text += b" " * ((8 - len(text) % 8) % 8)
with open("smallcnn-1x8x8-w2-l2-c3.safetensors", "wb") as f:
    f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))

np.savetxt("input.csv", x.numpy().reshape(4, -1), delimiter=",", fmt="%.9g")
np.savetxt("logits.csv", logits.numpy(), delimiter=",", fmt="%.9g")
