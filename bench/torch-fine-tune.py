"""PyTorch CPU reference for bench/fine-tune-bench.ts: a partial fine-tune done the usual way.

torchvision's mobilenet_v2 with a new linear head; everything before the last inverted residual
block frozen and run under torch.no_grad() on every batch of every epoch; the last block, the
final 1x1 convolution and the head trained with Adam. BatchNorm in inference mode throughout
(as Graft does when fine-tuning pretrained weights). channels_last, a fixed thread count. Run it
with MALLOC_MMAP_THRESHOLD_ and MALLOC_TRIM_THRESHOLD_ raised. Prints one JSON line.

--decode once decodes and resizes every image once before timing, so no loader cost is timed
(the strictest reference: only the model's work is left). --decode each-epoch is the usual way:
a Dataset that opens, converts and resizes each image when a batch asks for it, through a
DataLoader (shuffled training batches), every epoch, timed; --workers N decodes in N loader
processes beside the model, 0 in the training loop itself.

    python3 bench/torch-fine-tune.py DATASET.json --epochs 10 --batch 32 --threads 2 --decode each-epoch --workers 0

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


def load_pixels(path: str, size: int) -> torch.Tensor:
    """One image as the model takes it: RGB, resized (bilinear), scaled to -1..1, CHW."""
    with Image.open(path) as image:
        rgb = image.convert("RGB").resize((size, size), Image.BILINEAR)
    return torch.from_numpy(np.asarray(rgb, dtype=np.float32) / 127.5 - 1.0).permute(2, 0, 1)


class Images(torch.utils.data.Dataset):
    """The usual way: each image decoded when a batch asks for it."""

    def __init__(self, images: list[dict], size: int):
        self.images = images
        self.size = size

    def __len__(self):
        return len(self.images)

    def __getitem__(self, index):
        item = self.images[index]
        return load_pixels(item["path"], self.size), item["label"]


def decoded_once(images: list[dict], size: int, batch: int, shuffle: bool):
    """Every image decoded now, before timing; each epoch then slices the tensors."""
    x = torch.stack([load_pixels(item["path"], size) for item in images]).contiguous(memory_format=torch.channels_last)
    y = torch.tensor([item["label"] for item in images])

    def epoch():
        order = torch.randperm(len(x)) if shuffle else torch.arange(len(x))
        for i in range(0, len(x), batch):
            picked = order[i : i + batch]
            yield x[picked], y[picked]

    return epoch


def decoded_each_epoch(images: list[dict], size: int, batch: int, shuffle: bool, workers: int):
    loader = torch.utils.data.DataLoader(Images(images, size), batch_size=batch, shuffle=shuffle, num_workers=workers)

    def epoch():
        for x, y in loader:
            yield x.contiguous(memory_format=torch.channels_last), y

    return epoch


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("dataset")
    parser.add_argument("--epochs", type=int, default=10)
    parser.add_argument("--batch", type=int, default=32)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--size", type=int, default=224)
    parser.add_argument("--decode", choices=["once", "each-epoch"], default="once")
    parser.add_argument("--workers", type=int, default=0)
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    with open(args.dataset) as f:
        dataset = json.load(f)
    train_images = [i for i in dataset["images"] if i["split"] == "train"]
    validation_images = [i for i in dataset["images"] if i["split"] == "validation"]
    if args.decode == "once":
        train = decoded_once(train_images, args.size, args.batch, True)
        validation = decoded_once(validation_images, args.size, args.batch, False)
    else:
        train = decoded_each_epoch(train_images, args.size, args.batch, True, args.workers)
        validation = decoded_each_epoch(validation_images, args.size, args.batch, False, args.workers)
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
        for x, y in train():
            with torch.no_grad():
                features = frozen(x)
            loss = loss_fn(trainable(features), y)
            optimizer.zero_grad()
            loss.backward()
            optimizer.step()
        with torch.no_grad():
            correct = sum(int((model(vx).argmax(1) == vy).sum()) for vx, vy in validation())
        epoch_seconds.append(time.perf_counter() - began)
    print(json.dumps({
        "train_images": len(train_images),
        "validation_images": len(validation_images),
        "final_val_acc": correct / len(validation_images),
        "decode": args.decode,
        "workers": args.workers,
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
