"""FER-2013 loading from `fer2013.csv` or `<split>/<emotion>/*` folders, cached as decoded uint8 arrays."""

from __future__ import annotations

import hashlib
import logging
import os
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from pathlib import Path

import numpy as np
import pandas as pd

from fer.classes import CLASS_NAMES, NUM_CLASSES, class_index, fer2013_code_to_index
from fer.config import IMAGE_SIZE
from fer.errors import InvalidImageError
from fer.images import load_rgb, to_gray48

log = logging.getLogger(__name__)
IMAGE_SUFFIXES = {".jpg", ".jpeg", ".png", ".bmp", ".gif", ".tif", ".tiff", ".webp"}
PIXELS_PER_FACE = IMAGE_SIZE * IMAGE_SIZE


@dataclass
class FaceDataset:
    """Decoded faces (N x 48 x 48 uint8, raw 0-255) with canonical class indices, plus what was skipped."""

    images: np.ndarray
    labels: np.ndarray
    skipped: list[str]

    def __len__(self) -> int:
        return len(self.labels)

    def class_counts(self) -> dict[str, int]:
        return dict(zip(CLASS_NAMES, class_counts(self.labels).tolist()))


def class_counts(labels: np.ndarray) -> np.ndarray:
    return np.bincount(np.asarray(labels, dtype=np.int64), minlength=NUM_CLASSES)


def class_weights(labels: np.ndarray) -> dict[int, float]:
    """Balanced inverse frequency, w_c = N / (7 n_c).

    The mean weight per sample stays 1, so the loss keeps its scale (unlike weights normalised to sum to 1).
    """
    counts = class_counts(labels)
    total = counts.sum()
    return {c: float(total / (NUM_CLASSES * n)) for c, n in enumerate(counts) if n > 0}


def default_cache_dir() -> Path:
    return Path(os.environ.get("FER_CACHE_DIR", Path.home() / ".cache" / "fer"))


def load_dataset(
    path: str | Path, usage: str | None = None, strict: bool = False, cache_dir: str | Path | None = None
) -> FaceDataset:
    """Load a `fer2013.csv` (optionally one `Usage` split) or a folder of class folders.

    Bad items are skipped with a warning naming them, or raise InvalidImageError at the first when strict.
    """
    path = Path(path)
    if not path.exists():
        raise InvalidImageError(f"Data path {path} does not exist.")
    if path.is_dir():
        if usage:
            raise InvalidImageError("--usage applies to a fer2013.csv; for folders pass the split folder itself.")
        files = _folder_files(path)
        key = _cache_key(str(path.resolve()), [(str(f.relative_to(path)), *_stamp(f)) for f, _ in files])
        loader = lambda: _load_folder(files)  # noqa: E731
    else:
        key = _cache_key(str(path.resolve()), [("csv", *_stamp(path), usage or "all")])
        loader = lambda: _load_csv(path, usage)  # noqa: E731
    dataset = _cached(key, loader, Path(cache_dir) if cache_dir else default_cache_dir())
    _report_skipped(dataset.skipped, strict)
    return dataset


def _stamp(path: Path) -> tuple[int, int]:
    stat = path.stat()
    return stat.st_size, stat.st_mtime_ns


def _cache_key(source: str, entries: list[tuple]) -> str:
    digest = hashlib.sha256(source.encode())
    for entry in entries:
        digest.update(repr(entry).encode())
    return digest.hexdigest()[:24]


def _cached(key: str, loader, cache_dir: Path) -> FaceDataset:
    cache_file = cache_dir / f"faces-{key}.npz"
    if cache_file.exists():
        with np.load(cache_file) as cached:
            return FaceDataset(cached["images"], cached["labels"], cached["skipped"].tolist())
    dataset = loader()
    cache_dir.mkdir(parents=True, exist_ok=True)
    tmp = cache_file.with_name(cache_file.stem + ".tmp.npz")
    np.savez(tmp, images=dataset.images, labels=dataset.labels, skipped=np.array(dataset.skipped, dtype=str))
    os.replace(tmp, cache_file)
    return dataset


def _report_skipped(skipped: list[str], strict: bool) -> None:
    if not skipped:
        return
    if strict:
        raise InvalidImageError(f"{skipped[0]} (stopped because of --strict)")
    for message in skipped:
        log.warning("skipped %s", message)
    log.warning("skipped %d bad item(s) in total", len(skipped))


def _folder_files(root: Path) -> list[tuple[Path, int]]:
    files = []
    class_dirs = sorted(d for d in root.iterdir() if d.is_dir())
    for directory in class_dirs:
        label = class_index(directory.name)
        if label is None:
            log.warning("skipping folder %s: %r is not one of %s", directory, directory.name, ", ".join(CLASS_NAMES))
            continue
        files += [(f, label) for f in sorted(directory.rglob("*")) if f.suffix.lower() in IMAGE_SUFFIXES]
    if not files:
        raise InvalidImageError(
            f"No images found in {root}: expected class folders ({', '.join(CLASS_NAMES)}) of .jpg/.png files."
        )
    return files


def _decode_face(path: Path) -> np.ndarray | str:
    try:
        return to_gray48(load_rgb(path))
    except InvalidImageError as error:
        return f"{path}: {error}"


def _load_folder(files: list[tuple[Path, int]]) -> FaceDataset:
    with ThreadPoolExecutor(max_workers=4) as pool:
        decoded = list(pool.map(_decode_face, [f for f, _ in files], chunksize=256))
    keep = [i for i, item in enumerate(decoded) if not isinstance(item, str)]
    skipped = [item for item in decoded if isinstance(item, str)]
    images = np.stack([decoded[i] for i in keep]) if keep else np.zeros((0, IMAGE_SIZE, IMAGE_SIZE), np.uint8)
    labels = np.array([files[i][1] for i in keep], dtype=np.int64)
    return FaceDataset(images, labels, skipped)


def _load_csv(path: Path, usage: str | None) -> FaceDataset:
    try:
        frame = pd.read_csv(path, dtype={"pixels": str, "Usage": str}, keep_default_na=False)
    except (pd.errors.ParserError, UnicodeDecodeError, pd.errors.EmptyDataError) as error:
        raise InvalidImageError(f"{path} is not a readable CSV file: {error}") from error
    missing = {"emotion", "pixels"} - set(frame.columns)
    if missing:
        raise InvalidImageError(f"{path} lacks column(s) {sorted(missing)}; expected emotion,pixels[,Usage].")
    if usage:
        if "Usage" not in frame.columns:
            raise InvalidImageError(f"{path} has no Usage column, so --usage {usage} cannot pick a split.")
        frame = frame[frame["Usage"] == usage]
        if frame.empty:
            raise InvalidImageError(f"{path} has no rows with Usage == {usage!r}.")
    images, labels, skipped = [], [], []
    for index, code, pixels in zip(frame.index, frame["emotion"], frame["pixels"]):
        where = f"{path} row {index + 2}"  # +1 for the header, +1 for 1-based line numbers
        label = fer2013_code_to_index(int(code)) if str(code).strip().lstrip("-").isdigit() else None
        if label is None:
            skipped.append(f"{where}: unknown emotion code {code!r} (expected 0-6)")
            continue
        values = np.array(str(pixels).split(), dtype=np.float64) if str(pixels).strip() else np.zeros(0)
        if values.size != PIXELS_PER_FACE or values.min() < 0 or values.max() > 255:
            skipped.append(f"{where}: expected {PIXELS_PER_FACE} pixel values in 0-255, got {values.size}")
            continue
        images.append(values.astype(np.uint8).reshape(IMAGE_SIZE, IMAGE_SIZE))
        labels.append(label)
    stacked = np.stack(images) if images else np.zeros((0, IMAGE_SIZE, IMAGE_SIZE), np.uint8)
    return FaceDataset(stacked, np.array(labels, dtype=np.int64), skipped)
