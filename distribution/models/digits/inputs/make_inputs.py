"""Writes the digit inputs the end-to-end tests send besides the reference images, without Serval:

  digit_00_label5.npy   the reference preprocessing of images/digit_00_label5.png (8-bit grey,
                        28x28: ToTensor then Normalize(0.1302, 0.3069)) in NumPy, float32 1x1x28x28
  digit_00_label5.webp  the same PNG as lossless WebP: `cwebp -lossless -exact` (libwebp's tool)

Run from this folder with NumPy and cwebp installed: python3 make_inputs.py
"""
import struct
import subprocess
import zlib

import numpy as np

SOURCE = "../images/digit_00_label5.png"


def read_grey_png(path):
    """An 8-bit greyscale, non-interlaced PNG as a uint8 array (the only kind this needs)."""
    data = open(path, "rb").read()
    pos, idat = 8, b""
    while pos < len(data):
        (length,) = struct.unpack(">I", data[pos:pos + 4])
        kind, body = data[pos + 4:pos + 8], data[pos + 8:pos + 8 + length]
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
            assert (depth, colour, interlace) == (8, 0, 0), "not 8-bit grey"
        elif kind == b"IDAT":
            idat += body
        pos += 12 + length
    raw = zlib.decompress(idat)
    rows, previous = [], np.zeros(width, np.int32)
    for y in range(height):
        kind = raw[y * (width + 1)]
        line = np.frombuffer(raw, np.uint8, width, y * (width + 1) + 1).astype(np.int32)
        row = np.zeros(width, np.int32)
        for x in range(width):
            left = row[x - 1] if x else 0
            upper_left = previous[x - 1] if x else 0
            if kind == 0:
                predictor = 0
            elif kind == 1:
                predictor = left
            elif kind == 2:
                predictor = previous[x]
            elif kind == 3:
                predictor = (left + previous[x]) // 2
            else:
                p = left + previous[x] - upper_left
                pa, pb, pc = abs(p - left), abs(p - previous[x]), abs(p - upper_left)
                predictor = left if pa <= pb and pa <= pc else previous[x] if pb <= pc else upper_left
            row[x] = (line[x] + predictor) & 0xFF
        rows.append(row)
        previous = row
    return np.array(rows, np.uint8)


pixels = read_grey_png(SOURCE)
tensor = (pixels.astype(np.float32) / np.float32(255) - np.float32(0.1302)) / np.float32(0.3069)
np.save("digit_00_label5.npy", tensor.reshape(1, 1, *pixels.shape).astype(np.float32))
subprocess.run(["cwebp", "-quiet", "-lossless", "-exact", SOURCE, "-o", "digit_00_label5.webp"], check=True)
