"""The digit network's epoch in PyTorch: the reference `mlp bench train --vs-pytorch` times against.

The same network (conv 10@5x5, maxpool, relu, conv 20@5x5, Dropout2d, maxpool, relu, linear 320->50, relu,
linear 50->10, log_softmax) and recipe (SGD, lr, momentum, batch, shuffled, NLL loss; MNIST normalisation) as the
C# trainer; the images are tensors in memory, as there. Prints one JSON line: the epoch's training seconds, the test
set's inference seconds and accuracy.

    python3 pytorch_reference.py TRAIN_IMAGES TRAIN_LABELS TEST_IMAGES TEST_LABELS [--threads 2] [--batch 64]
        [--lr 0.01] [--momentum 0.5] [--test-batch 1000] [--seed 1] [--dropout 0.5]
"""
import argparse
import gzip
import json
import struct
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F


def read_idx(path):
    with open(path, "rb") as f:
        raw = f.read()
    if raw[:2] == b"\x1f\x8b":
        raw = gzip.decompress(raw)
    dims = raw[3]
    shape = struct.unpack(">" + "I" * dims, raw[4:4 + 4 * dims])
    return np.frombuffer(raw, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


class Net(nn.Module):
    def __init__(self, dropout, classes):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 10, kernel_size=5)
        self.conv2 = nn.Conv2d(10, 20, kernel_size=5)
        self.conv2_drop = nn.Dropout2d(dropout)
        self.fc1 = nn.Linear(320, 50)
        self.fc2 = nn.Linear(50, classes)

    def forward(self, x):
        x = F.relu(F.max_pool2d(self.conv1(x), 2))
        x = F.relu(F.max_pool2d(self.conv2_drop(self.conv2(x)), 2))
        x = F.relu(self.fc1(x.flatten(1)))
        return F.log_softmax(self.fc2(x), dim=1)


def tensors(images, labels):
    x = torch.from_numpy(images.astype(np.float32) / 255.0).unsqueeze(1)
    return (x - 0.1307) / 0.3081, torch.from_numpy(labels.astype(np.int64))


def main():
    p = argparse.ArgumentParser()
    for name in ("train_images", "train_labels", "test_images", "test_labels"):
        p.add_argument(name)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--batch", type=int, default=64)
    p.add_argument("--test-batch", type=int, default=1000)
    p.add_argument("--lr", type=float, default=0.01)
    p.add_argument("--momentum", type=float, default=0.5)
    p.add_argument("--dropout", type=float, default=0.5)
    p.add_argument("--seed", type=int, default=1)
    a = p.parse_args()
    torch.set_num_threads(a.threads)
    torch.manual_seed(a.seed)
    x, y = tensors(read_idx(a.train_images), read_idx(a.train_labels))
    tx, ty = tensors(read_idx(a.test_images), read_idx(a.test_labels))
    model = Net(a.dropout, int(max(y.max(), ty.max())) + 1)
    optimizer = torch.optim.SGD(model.parameters(), lr=a.lr, momentum=a.momentum)

    start = time.perf_counter()
    model.train()
    order = torch.randperm(len(y))
    for i in range(0, len(y), a.batch):
        index = order[i:i + a.batch]
        optimizer.zero_grad()
        loss = F.nll_loss(model(x[index]), y[index])
        loss.backward()
        optimizer.step()
    train_seconds = time.perf_counter() - start

    start = time.perf_counter()
    model.eval()
    correct = 0
    with torch.no_grad():
        for i in range(0, len(ty), a.test_batch):
            correct += int((model(tx[i:i + a.test_batch]).argmax(1) == ty[i:i + a.test_batch]).sum())
    inference_seconds = time.perf_counter() - start
    print(json.dumps({
        "torch": torch.__version__, "threads": torch.get_num_threads(), "parameters": sum(q.numel() for q in model.parameters()), "train_seconds": train_seconds, "train_images": len(y),
        "inference_seconds": inference_seconds, "test_images": len(ty), "test_accuracy": correct / len(ty),
    }))


if __name__ == "__main__":
    main()
