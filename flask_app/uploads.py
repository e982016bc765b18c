"""Reading the one uploaded image of a request, in memory: uploads are never written to disk."""

from __future__ import annotations

import base64
import io

import numpy as np
from flask import Request, abort, current_app
from PIL import Image
from werkzeug.utils import secure_filename

from fer.errors import ImageTooLargeError, InvalidImageError
from fer.predictor import Predictor
from fer.results import PredictionResult

FIELD = "image"
DISPLAY_MAX_SIDE = 1024


def predictor() -> Predictor:
    return current_app.extensions["fer_predictor"]


def read_upload(request: Request) -> tuple[str, bytes]:
    """The display name and bytes of the single file in field `image`; 400 for anything else."""
    files = request.files.getlist(FIELD)
    if not files or not files[0].filename:
        abort(400, description=f"No image was uploaded: send one file in the form field '{FIELD}'.")
    if len(files) > 1 or len(request.files) > 1:
        abort(400, description="Send exactly one image per request.")
    upload = files[0]
    data = upload.read()
    if not data:
        abort(400, description="The uploaded file is empty (0 bytes).")
    # The name is only echoed back for display; it is never used as a path.
    return (secure_filename(upload.filename) or "upload")[:100], data


def predict_upload(data: bytes) -> PredictionResult:
    """Run the predictor; a bad image becomes a 4xx with the predictor's own message."""
    try:
        return predictor().predict(data, explain=True)
    except ImageTooLargeError as error:
        abort(413, description=str(error))
    except InvalidImageError as error:
        abort(415, description=str(error))


def data_uri(image: np.ndarray, max_side: int = DISPLAY_MAX_SIDE) -> str:
    """An RGB or grayscale array as an inline JPEG/PNG, shrunk for display only."""
    picture = Image.fromarray(image)
    picture.thumbnail((max_side, max_side))
    buffer = io.BytesIO()
    fmt = "PNG" if max(picture.size) <= 256 else "JPEG"
    picture.save(buffer, fmt, quality=85)
    return f"data:image/{fmt.lower()};base64,{base64.b64encode(buffer.getvalue()).decode()}"
