#!/usr/bin/env python3
"""Photo-like JPEGs made from nothing: a sky gradient, hills, buildings, a crowd of shapes and
grain, so that they compress like real camera photos (a 3000 px one is about 0.8 MB at quality 90).

    python3 bench/photos.py OUT_DIR COUNT [--width 3000] [--seed 1] [--quality 90]

Writes OUT_DIR/anh-00001.jpg ... Each image differs (seeded by its number). Some carry an EXIF
orientation (rotated by the camera) and a GPS position, as phone photos do. Needs Pillow
(pip install pillow).
"""
import argparse
import os
import random
import struct
import sys

from PIL import Image, ImageDraw, ImageFilter


def exif_segment(orientation, gps):
    """A minimal little-endian TIFF/EXIF block: Orientation, and a GPS IFD when asked."""
    entries = [(0x0112, 3, 1, orientation)]
    if gps:
        entries.append((0x8825, 4, 1, 0))  # GPS IFD offset, patched below
    ifd0_size = 2 + 12 * len(entries) + 4
    gps_offset = 8 + ifd0_size
    out = bytearray(b"II*\x00" + struct.pack("<I", 8))
    out += struct.pack("<H", len(entries))
    for tag, kind, count, value in entries:
        if tag == 0x8825:
            value = gps_offset
        if kind == 3:
            out += struct.pack("<HHIHH", tag, kind, count, value, 0)
        else:
            out += struct.pack("<HHII", tag, kind, count, value)
    out += struct.pack("<I", 0)
    if gps:
        # GPSLatitudeRef 'N', GPSLatitude 21/1 1/1 0/1 (Hà Nội), rationals after the IFD.
        rationals_at = gps_offset + 2 + 12 * 2 + 4
        out += struct.pack("<H", 2)
        out += struct.pack("<HHI4s", 0x0001, 2, 2, b"N\x00\x00\x00")
        out += struct.pack("<HHII", 0x0002, 5, 3, rationals_at)
        out += struct.pack("<I", 0)
        out += struct.pack("<6I", 21, 1, 1, 1, 0, 1)
    return b"Exif\x00\x00" + bytes(out)


def photo(width, height, seed):
    rng = random.Random(seed)
    top = tuple(rng.randint(90, 200) for _ in range(3))
    bottom = tuple(rng.randint(20, 120) for _ in range(3))
    gradient = Image.linear_gradient("L").resize((width, height))
    image = Image.composite(Image.new("RGB", (width, height), bottom),
                            Image.new("RGB", (width, height), top), gradient)
    draw = ImageDraw.Draw(image)
    horizon = int(height * rng.uniform(0.45, 0.7))
    for _ in range(rng.randint(3, 7)):  # hills
        cx, r = rng.randint(0, width), rng.randint(width // 6, width // 2)
        colour = tuple(rng.randint(30, 110) for _ in range(3))
        draw.ellipse([cx - r, horizon - r // 3, cx + r, horizon + r], fill=colour)
    for _ in range(rng.randint(8, 20)):  # buildings
        x, w = rng.randint(0, width), rng.randint(width // 40, width // 10)
        h = rng.randint(height // 10, height // 2)
        colour = tuple(rng.randint(60, 230) for _ in range(3))
        draw.rectangle([x, horizon - h, x + w, horizon + height // 20], fill=colour)
        for wy in range(horizon - h + 10, horizon, max(8, h // 12)):  # windows
            draw.line([x + 4, wy, x + w - 4, wy], fill=tuple(c // 2 for c in colour), width=3)
    for _ in range(rng.randint(150, 400)):  # people, chairs, flags
        x, y = rng.randint(0, width), rng.randint(horizon, height)
        s = rng.randint(height // 80, height // 25)
        colour = tuple(rng.randint(0, 255) for _ in range(3))
        draw.ellipse([x, y, x + s, y + s * 2], fill=colour)
    image = image.filter(ImageFilter.GaussianBlur(radius=max(1, width // 1500)))
    grain = Image.effect_noise((width, height), 18).convert("RGB")
    return Image.blend(image, grain, 0.12)


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("out")
    parser.add_argument("count", type=int)
    parser.add_argument("--width", type=int, default=3000)
    parser.add_argument("--seed", type=int, default=1)
    parser.add_argument("--quality", type=int, default=90)
    parser.add_argument("--prefix", default="anh-")
    parser.add_argument("--jobs", type=int, default=os.cpu_count() or 1)
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    numbers = range(1, args.count + 1)
    if args.jobs > 1:
        import multiprocessing
        with multiprocessing.Pool(args.jobs) as pool:
            pool.starmap(make, [(args, n) for n in numbers], chunksize=4)
    else:
        for n in numbers:
            make(args, n)


def make(args, n):
    """Photo number `n`, unless an earlier run made it."""
    path = os.path.join(args.out, f"{args.prefix}{n:05d}.jpg")
    if os.path.exists(path):
        return
    image = photo(args.width, args.width * 2 // 3, args.seed * 1_000_003 + n)
    # One photo in seven was taken with the phone turned: stored sideways, flagged upright.
    rotated = n % 7 == 0
    if rotated:
        image = image.transpose(Image.Transpose.ROTATE_90)
    exif = exif_segment(6 if rotated else 1, gps=n % 3 == 0)
    image.save(path + ".tmp", "JPEG", quality=args.quality, exif=exif)
    os.rename(path + ".tmp", path)
    if n % 100 == 0:
        print(f"{n} photos", file=sys.stderr)


if __name__ == "__main__":
    main()
