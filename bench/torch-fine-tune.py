"""PyTorch CPU reference for bench/fine-tune-bench.ts: a partial fine-tune done the usual way.

torchvision's mobilenet_v2 with a new linear head; everything before the last inverted residual
block frozen and run under torch.no_grad() on every batch of every epoch; the last block, the
final 1x1 convolution and the head trained with Adam. BatchNorm in inference mode throughout
(as Graft does when fine-tuning pretrained weights). channels_last, a fixed thread count. The
images are decoded and resized once before timing (a loader's cost is left out, which only
favours this reference). Run it with MALLOC_MMAP_THRESHOLD_ and MALLOC_TRIM_THRESHOLD_ raised.
Prints one JSON line.

    python3 bench/torch-fine-tune.py DATASET.json --epochs 10 --batch 32 --threads 2

DATASET.json is Graft's run snapshot ({classes, images: [{path, label, split}]}): it trains on
the train split and evaluates the validation split after every epoch, as a Graft run does.
"""
import argparse
import json
import resource
import time

import numpy as np
import torch
import torchvision
from PIL import Image


def load_images(images: list[dict], size: int) -> tuple[torch.Tensor, torch.Tensor]:
    pixels = []
    for item in images:
        image = Image.open(item["path"]).convert("RGB").resize((size, size), Image.BILINEAR)
        pixels.append(np.asarray(image, dtype=np.float32) / 127.5 - 1.0)
    x = torch.from_numpy(np.stack(pixels)).permute(0, 3, 1, 2).contiguous(memory_format=torch.channels_last)
    return x, torch.tensor([item["label"] for item in images])


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("dataset")
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--size", type=int, default=224)
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    with open(args.dataset) as f:
        dataset = json.load(f)
    x, y = load_images([i for i in dataset["images"] if i["split"] == "train"], args.size)
    vx, vy = load_images([i for i in dataset["images"] if i["split"] == "validation"], args.size)
    classes = len(dataset["classes"])
    model = torchvision.models.mobilenet_v2(weights=None)
    model.classifier = torch.nn.Linear(1280, classes)
    model = model.to(memory_format=torch.channels_last).eval()
    frozen = model.features[:17]
    trainable = torch.nn.Sequential(model.features[17:], torch.nn.AdaptiveAvgPool2d(1), torch.nn.Flatten(), model.classifier)
    for p in frozen.parameters():
        p.requires_grad_(False)
    optimizer = torch.optim.Adam([p for p in trainable.parameters()], lr=1e-4)
    loss_fn = torch.nn.CrossEntropyLoss()

    epoch_seconds = []
    start = time.perf_counter()
    for _ in range(args.epochs):
        began = time.perf_counter()
        order = torch.randperm(len(x))
        for i in range(0, len(x), args.batch):
            batch = order[i : i + args.batch]
            with torch.no_grad():
                features = frozen(x[batch])
            loss = loss_fn(trainable(features), y[batch])
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        with torch.no_grad():
            correct = sum(int((model(vx[i : i + args.batch]).argmax(1) == vy[i : i + args.batch]).sum()) for i in range(0, len(vx), args.batch))
        epoch_seconds.append(time.perf_counter() - began)
    print(json.dumps({
        "train_images": len(x),
        "validation_images": len(vx),
        "final_val_acc": correct / len(vx),
        "epochs": args.epochs,
        "threads": torch.get_num_threads(),
        "seconds": time.perf_counter() - start,
        "epoch_seconds": epoch_seconds,
        "final_loss": float(loss),
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
        "torch": torch.__version__,
        "torchvision": torchvision.__version__,
    }))


if __name__ == "__main__":
    main()
