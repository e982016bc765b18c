"""Facial-expression recognition: a Keras attention CNN trained on FER-2013, and the tools around it."""

from fer.classes import CLASS_NAMES
from fer.errors import ImageTooLargeError, InvalidImageError

__all__ = ["CLASS_NAMES", "ImageTooLargeError", "InvalidImageError"]
