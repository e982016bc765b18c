"""The seven emotion classes, and the one place where other label spellings map onto them."""

from __future__ import annotations

CLASS_NAMES: tuple[str, ...] = ("angry", "disgust", "fear", "happy", "neutral", "sad", "surprise")
NUM_CLASSES = len(CLASS_NAMES)

# FER-2013's CSV orders its codes differently from our alphabetical canonical order.
FER2013_CODE_TO_CLASS: dict[int, str] = {
    0: "angry",
    1: "disgust",
    2: "fear",
    3: "happy",
    4: "sad",
    5: "surprise",
    6: "neutral",
}

_ALIASES: dict[str, str] = {
    "anger": "angry",
    "disgusted": "disgust",
    "fearful": "fear",
    "afraid": "fear",
    "happiness": "happy",
    "joy": "happy",
    "sadness": "sad",
    "surprised": "surprise",
    "calm": "neutral",
}


def class_index(name: str) -> int | None:
    """Canonical index of a class name or a common alias (any case); None for other classes."""
    key = name.strip().lower()
    key = _ALIASES.get(key, key)
    return CLASS_NAMES.index(key) if key in CLASS_NAMES else None


def fer2013_code_to_index(code: int) -> int | None:
    """Canonical index for a FER-2013 CSV emotion code; None for codes outside 0-6."""
    name = FER2013_CODE_TO_CLASS.get(code)
    return None if name is None else CLASS_NAMES.index(name)
