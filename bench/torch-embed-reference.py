"""PyTorch CPU reference for bench/embed-e2e-bench.ts: JPEG files -> .npy features, end to end.

The pipeline `graft embed` runs, in PyTorch: decode each file with PIL, convert to RGB, resize
to 224x224 (bilinear), scale to 0-1, torchvision mobilenet_v2 (random weights, eval mode,
torch.no_grad(), channels_last) up to its features, global average pooling -> 1280 values per
image, appended batch by batch to a float32 .npy file. Run it with MALLOC_MMAP_THRESHOLD_ and
MALLOC_TRIM_THRESHOLD_ set to 4294967296 (glibc otherwise returns and re-maps the large
activation buffers on every batch).

--workers 0 decodes in the main process between batches; --workers N decodes in N DataLoader
worker processes while the model runs (the usual way to overlap decoding with inference).
--draft lets PIL's JPEG decoder scale down by 1/2, 1/4 or 1/8 while decoding (Image.draft),
as libvips' shrink-on-load does for Graft. Prints one JSON line, with the CPU seconds used
(this process's threads and the loader workers), comparable when other work shares the machine.

    python3 bench/torch-embed-reference.py FILE_LIST OUT.npy --threads 2 --batch 16 --workers 1
"""
import argparse
import json
import resource
import time

import numpy as np
import torch
import torchvision
from PIL import Image

SIZE = 224


def load(path: str, draft: bool) -> np.ndarray:
    with Image.open(path) as image:
        if draft:
            image.draft("RGB", (SIZE, SIZE))
        rgb = image.convert("RGB").resize((SIZE, SIZE), Image.BILINEAR)
        return np.asarray(rgb, dtype=np.uint8)


class Files(torch.utils.data.Dataset):
    def __init__(self, paths, draft):
        self.paths = paths
        self.draft = draft

    def __len__(self):
        return len(self.paths)

    def __getitem__(self, index):
        return torch.from_numpy(load(self.paths[index], self.draft))


def batches(paths, batch, workers, draft):
    if workers == 0:
        for start in range(0, len(paths), batch):
            yield torch.from_numpy(np.stack([load(p, draft) for p in paths[start:start + batch]]))
        return
    loader = torch.utils.data.DataLoader(Files(paths, draft), batch_size=batch, num_workers=workers, prefetch_factor=2)
    yield from loader


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("file_list")
    parser.add_argument("out")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--batch", type=int, default=16)
    parser.add_argument("--workers", type=int, default=0)
    parser.add_argument("--draft", action="store_true")
    args = parser.parse_args()

    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    with open(args.file_list, encoding="utf-8") as f:
        paths = [line.rstrip("\n") for line in f if line.strip()]
    model = torchvision.models.mobilenet_v2(weights=None).eval().to(memory_format=torch.channels_last)
    features = model.features

    rows = []
    with torch.no_grad():
        # Warm-up on a batch of zeros: allocations and kernel selection, outside the timing.
        features(torch.zeros(args.batch, 3, SIZE, SIZE).to(memory_format=torch.channels_last))
        start = time.perf_counter()
        cpu_start = time.process_time()
        for pixels in batches(paths, args.batch, args.workers, args.draft):
            x = pixels.permute(0, 3, 1, 2).float().div_(255).contiguous(memory_format=torch.channels_last)
            rows.append(features(x).mean(dim=(2, 3)).numpy())
        matrix = np.concatenate(rows).astype(np.float32)
        np.save(args.out, matrix)
        elapsed = time.perf_counter() - start
        cpu = time.process_time() - cpu_start
    # Loader workers have exited by now; their CPU time is counted as the children's.
    children = resource.getrusage(resource.RUSAGE_CHILDREN)
    cpu += children.ru_utime + children.ru_stime
    print(json.dumps({
        "images": len(paths),
        "shape": list(matrix.shape),
        "seconds": elapsed,
        "images_per_s": len(paths) / elapsed,
        "cpu_seconds": cpu,
        "threads": torch.get_num_threads(),
        "batch": args.batch,
        "workers": args.workers,
        "draft": args.draft,
        "torch": torch.__version__,
        "torchvision": torchvision.__version__,
    }))


if __name__ == "__main__":
    main()
