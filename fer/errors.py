"""The project's own error type, so callers can tell bad input from a bug."""


class InvalidImageError(ValueError):
    """An image, CSV row or data set that cannot be used; the message says what to fix."""


class ImageTooLargeError(InvalidImageError):
    """An image over the pixel limit: refused before decoding, so a decompression bomb costs nothing."""
