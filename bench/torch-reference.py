"""PyTorch CPU reference for bench/onnx-bench.ts: model-only images/s of a torchvision model.

Random weights, eval mode, torch.no_grad(), channels_last, a fixed thread count. Run it with
MALLOC_MMAP_THRESHOLD_ and MALLOC_TRIM_THRESHOLD_ set to 4294967296 (glibc otherwise returns
and re-maps the large activation buffers on every batch). Prints one JSON line.

    python3 bench/torch-reference.py mobilenet_v2 --batch 16 --threads 2 --seconds 5
"""
import argparse
import json
import time

import torch
import torchvision


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("arch", choices=["mobilenet_v2", "resnet50"])
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--size", type=int, default=224)
    parser.add_argument("--seconds", type=float, default=5.0)
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    model = getattr(torchvision.models, args.arch)(weights=None).eval()
    model = model.to(memory_format=torch.channels_last)
    x = torch.rand(args.batch, 3, args.size, args.size).to(memory_format=torch.channels_last)

    with torch.no_grad():
        for _ in range(3):
            model(x)
        images = 0
        start = time.perf_counter()
        while True:
            model(x)
            images += args.batch
            elapsed = time.perf_counter() - start
            if elapsed >= args.seconds and images >= 3 * args.batch:
                break
    print(json.dumps({
        "arch": args.arch,
        "batch": args.batch,
        "threads": torch.get_num_threads(),
        "images_per_s": images / elapsed,
        "torch": torch.__version__,
        "torchvision": torchvision.__version__,
    }))


if __name__ == "__main__":
    main()
