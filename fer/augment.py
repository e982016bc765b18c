"""Batched augmentation in plain TensorFlow ops: one projective transform per batch, no per-image Python."""

from __future__ import annotations

import math

import tensorflow as tf

from fer.config import AugmentConfig


def _affine_transforms(batch: int, size: int, config: AugmentConfig) -> tf.Tensor:
    """Output-to-input pixel maps combining flip, rotation, zoom and shift about the image centre."""
    angle = tf.random.uniform([batch], -1.0, 1.0) * config.rotation_degrees * math.pi / 180.0
    scale = 1.0 + tf.random.uniform([batch], -1.0, 1.0) * config.zoom
    shift = tf.random.uniform([batch, 2], -1.0, 1.0) * config.shift * size
    flip = tf.where(tf.random.uniform([batch]) < 0.5, -1.0, 1.0) if config.flip else tf.ones([batch])
    centre = (size - 1) / 2.0
    a0, a1 = tf.cos(angle) * flip / scale, -tf.sin(angle) / scale
    b0, b1 = tf.sin(angle) * flip / scale, tf.cos(angle) / scale
    a2 = centre + shift[:, 0] - a0 * centre - a1 * centre
    b2 = centre + shift[:, 1] - b0 * centre - b1 * centre
    zeros = tf.zeros([batch])
    return tf.stack([a0, a1, a2, b0, b1, b2, zeros, zeros], axis=1)


def _random_erasing(images: tf.Tensor, probability: float) -> tf.Tensor:
    """Blank a random rectangle (2-20% of the face) with noise, so no single region can carry the decision."""
    batch, size = tf.shape(images)[0], images.shape[1]
    area = tf.random.uniform([batch], 0.02, 0.2) * size * size
    aspect = tf.exp(tf.random.uniform([batch], math.log(0.3), math.log(3.3)))
    height = tf.minimum(tf.sqrt(area * aspect), size - 1.0)
    width = tf.minimum(tf.sqrt(area / aspect), size - 1.0)
    top = tf.random.uniform([batch]) * (size - height)
    left = tf.random.uniform([batch]) * (size - width)
    coords = tf.range(size, dtype=tf.float32)
    rows = (coords[None, :] >= top[:, None]) & (coords[None, :] < (top + height)[:, None])
    cols = (coords[None, :] >= left[:, None]) & (coords[None, :] < (left + width)[:, None])
    apply = tf.random.uniform([batch]) < probability
    mask = rows[:, :, None] & cols[:, None, :] & apply[:, None, None]
    noise = tf.random.uniform(tf.shape(images), 0.0, 255.0)
    return tf.where(mask[..., None], noise, images)


def zoom_batch(images: tf.Tensor, scale: float) -> tf.Tensor:
    """Scale faces about their centre (>1 zooms in), filled and resampled as training augmentation does."""
    size = images.shape[1]
    centre = (size - 1) / 2.0
    offset = centre - centre / scale
    transform = tf.constant([[1.0 / scale, 0.0, offset, 0.0, 1.0 / scale, offset, 0.0, 0.0]])
    return tf.raw_ops.ImageProjectiveTransformV3(
        images=images,
        transforms=tf.tile(transform, [tf.shape(images)[0], 1]),
        output_shape=[size, size],
        fill_value=0.0,
        interpolation="BILINEAR",
        fill_mode="REFLECT",
    )


def augment_batch(images: tf.Tensor, config: AugmentConfig) -> tf.Tensor:
    """Augment a float32 batch of raw 0-255 faces (B x H x W x 1)."""
    size = images.shape[1]
    if config.flip or config.shift or config.rotation_degrees or config.zoom:
        images = tf.raw_ops.ImageProjectiveTransformV3(
            images=images,
            transforms=_affine_transforms(tf.shape(images)[0], size, config),
            output_shape=[size, size],
            fill_value=0.0,
            interpolation="BILINEAR",
            fill_mode="REFLECT",
        )
    if config.erasing_probability:
        images = _random_erasing(images, config.erasing_probability)
    return images
