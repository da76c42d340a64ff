"""Demo photographs drawn with Pillow: landscapes of sky, hills, sea and sun.

The demo ships no photographs of anyone; each picture is generated from a seed so
every run makes the same image.
"""

import io
import random

from PIL import Image, ImageDraw, ImageFilter

WIDTH, HEIGHT = 1600, 1000


def _mix(a: tuple[int, int, int], b: tuple[int, int, int], t: float) -> tuple[int, int, int]:
    return tuple(int(x + (y - x) * t) for x, y in zip(a, b, strict=True))


def landscape_jpeg(seed: str, width: int = WIDTH, height: int = HEIGHT) -> bytes:
    rng = random.Random(seed)
    image = Image.new("RGB", (width, height))
    draw = ImageDraw.Draw(image)
    skies = [
        ((36, 92, 160), (250, 196, 120)),
        ((20, 60, 110), (160, 210, 240)),
        ((250, 150, 90), (255, 230, 170)),
        ((70, 110, 150), (220, 230, 235)),
    ]
    top, bottom = rng.choice(skies)
    horizon = int(height * rng.uniform(0.45, 0.62))
    for y in range(horizon):
        draw.line([(0, y), (width, y)], fill=_mix(top, bottom, y / horizon))
    sun_x, sun_y, r = (
        rng.randint(200, width - 200),
        rng.randint(120, horizon - 80),
        rng.randint(50, 90),
    )
    draw.ellipse([sun_x - r, sun_y - r, sun_x + r, sun_y + r], fill=(255, 236, 180))
    greens = [(46, 94, 62), (70, 120, 70), (96, 140, 84), (34, 70, 60)]
    for layer in range(3):
        base = horizon - rng.randint(40, 160) + layer * 60
        points, x = [(0, height)], 0
        while x <= width:
            points.append((x, base - rng.randint(0, 140 - layer * 30)))
            x += rng.randint(80, 220)
        points += [(width, base), (width, height)]
        draw.polygon(points, fill=_mix(rng.choice(greens), bottom, 0.35 - layer * 0.12))
    if rng.random() < 0.6:  # sea or river in the foreground
        water_top = int(height * rng.uniform(0.7, 0.8))
        for y in range(water_top, height):
            draw.line(
                [(0, y), (width, y)],
                fill=_mix((40, 110, 150), (20, 60, 90), (y - water_top) / (height - water_top)),
            )
        for _ in range(40):
            wx, wy = rng.randint(0, width), rng.randint(water_top, height)
            draw.line([(wx, wy), (wx + rng.randint(20, 80), wy)], fill=(200, 225, 240), width=2)
    else:  # rice fields
        for i in range(8):
            y0 = min(horizon + 40 + i * (height - horizon) // 8, height - 1)
            draw.rectangle([0, y0, width, height], fill=_mix((120, 160, 60), (200, 190, 80), i / 8))
    image = image.filter(ImageFilter.GaussianBlur(1.2))
    out = io.BytesIO()
    image.save(out, "JPEG", quality=82, optimize=True)
    return out.getvalue()
