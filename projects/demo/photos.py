"""Generated demo photographs of livelihood-project sites.

Nothing can be downloaded when the demo data is loaded, so this module paints its own "site
photos": a sky, hazy Guangdong hills and a scene for the project kind whose construction progress
follows ``stage`` (0 = bare earth, 1 = finished). Scenes are laid out in metres and projected
with a pinhole camera, painted at half size, then upscaled, graded, grained and vignetted.

The layout depends only on ``seed``, so one seed is one site at every stage; weather and
bystanders also depend on ``stage``. Output is deterministic for the same arguments.
"""

from __future__ import annotations

import glob
import io
import math
import os
import random
import re
from functools import lru_cache
from itertools import pairwise

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageFont

KINDS = ("building", "park", "greenway", "road", "lake", "facility")

_FONT_PATHS = (
    "/usr/share/fonts/truetype/wqy/wqy-microhei.ttc",
    "/usr/share/fonts/truetype/wqy/wqy-zenhei.ttc",
    "/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc",
)
_SKIES = {  # zenith, horizon, colour grade
    "morning": ((112, 152, 204), (246, 212, 176), (255, 205, 160)),
    "noon": ((58, 118, 200), (188, 216, 238), None),
    "overcast": ((150, 156, 164), (212, 213, 212), (190, 196, 204)),
    "evening": ((80, 88, 146), (250, 172, 116), (255, 160, 90)),
}
_EARTHS = ((152, 120, 86), (170, 108, 76), (146, 128, 104))  # incl. Guangdong's red laterite
_GRASS, _CONCRETE, _WORKER = (92, 136, 58), (176, 174, 168), (250, 120, 30)
_PAINTS = ((236, 232, 222), (226, 212, 190), (214, 216, 218), (200, 120, 96), (222, 226, 214))
_RIDGE = ((1.3, 1.2), (3, 1), (8, 0.5), (21, 0.2))  # hill profile: frequency, amplitude
_CRANES = ((236, 186, 40), (226, 70, 50), (240, 240, 236))
_GREENS = ((52, 104, 46), (70, 124, 52), (40, 88, 50), (96, 138, 60), (62, 114, 76), (84, 108, 40))
_PANTS = ((48, 52, 66), (30, 30, 34), (70, 80, 100), (110, 100, 84))
_SHIRTS = ((200, 60, 50), (238, 238, 232), (60, 90, 160), (230, 190, 60), (80, 140, 110))
_CARS = ((230, 230, 230), (30, 30, 36), (170, 30, 34), (120, 124, 130), (40, 70, 130))


def _mix(a, b, t):
    return tuple(int(a[i] + (b[i] - a[i]) * t) for i in range(3))


def _jit(c, rng, n=12):
    return tuple(max(0, min(255, v + rng.randint(-n, n))) for v in c)


def _ramp(t, start, end):
    return min(1.0, max(0.0, (t - start) / (end - start)))


class _Scene:
    """Canvas plus camera. World coordinates: x right, z away, y up, all in metres."""

    def __init__(self, w, h, seed, stage):
        self.W, self.H, self.t = w, h, stage
        self.r = random.Random(seed)  # layout
        self.v = random.Random(f"{seed}/{stage:.3f}")  # weather, bystanders
        self.hz, self.vx = h * self.r.uniform(0.36, 0.46), w * self.r.uniform(0.4, 0.6)
        self.cam = (h - self.hz) * 20 / w  # camera height; the bottom edge is 20 m away
        self.sun, self.flip = self.r.choice((-1, 1)), self.r.random() < 0.5
        self.img = Image.new("RGB", (w, h))
        self.d = ImageDraw.Draw(self.img, "RGBA")

    def p(self, x, z, y=0.0):
        return (self.vx + x * self.W / z, self.hz + (self.cam - y) * self.W / z)

    def poly(self, pts, fill):
        self.d.polygon([self.p(*q) for q in pts], fill=fill)

    def line(self, pts, fill, width=0.15):
        px = max(1, round(width * self.W / pts[0][1]))
        self.d.line([self.p(*q) for q in pts], fill=fill, width=px)

    def rect(self, x0, x1, z, y0, y1, fill):
        self.poly([(x0, z, y0), (x1, z, y0), (x1, z, y1), (x0, z, y1)], fill)

    def patch(self, x0, x1, z0, z1, fill, y=0.0):
        self.poly([(x0, z0, y), (x1, z0, y), (x1, z1, y), (x0, z1, y)], fill)

    def ribbon(self, centre, lo, hi, fill, y=0.0):
        """A strip such as a path or deck following a centre line of (x, z) points."""
        edge = [(x + lo, z, y) for x, z in centre] + [(x + hi, z, y) for x, z in centre[::-1]]
        self.poly(edge, fill)

    def ellipse(self, x, z, y, rx, ry, fill):
        (cx, cy), s = self.p(x, z, y), self.W / z
        self.d.ellipse((cx - rx * s, cy - ry * s, cx + rx * s, cy + ry * s), fill=fill)

    def mound(self, x, z, rad, color):
        arc = [i / 12 * math.pi for i in range(13)]
        self.poly([(x + rad * math.cos(a), z, rad * 0.4 * math.sin(a)) for a in arc], color)
        lit = (*_mix(color, (255, 240, 210), 0.2), 150)
        self.ellipse(x + self.sun * rad * 0.3, z, rad * 0.25, rad * 0.45, rad * 0.1, lit)

    def box(self, x0, x1, z0, z1, y0, y1, face):
        """Solid block: shadow, visible side and top, then the front face over them."""
        side = _mix(face, (20, 20, 30), 0.12 if self.sun * (x0 + x1) < 0 else 0.35)
        if y0 == 0 and y1 > 3:
            xe, dx = (x0 if self.sun > 0 else x1), -self.sun * y1 * 0.7
            shadow = [(xe, z0), (xe + dx, z0 + y1 * 0.3), (xe + dx, z1 + y1 * 0.3), (xe, z1)]
            self.poly([(x, z, 0) for x, z in shadow], (20, 20, 30, 60))
        for x in [x1] if x1 < 0 else [x0] if x0 > 0 else []:
            self.poly([(x, z0, y0), (x, z1, y0), (x, z1, y1), (x, z0, y1)], side)
        if y1 < self.cam:
            self.patch(x0, x1, z0, z1, _mix(face, (255, 255, 255), 0.15), y1)
        self.rect(x0, x1, z0, y0, y1, face)
        if y0 == 0 and y1 > 3:  # a touch of ambient occlusion at the foot of the wall
            self.rect(x0, x1, z0 - 0.01, 0, min(2.0, y1 / 3), (0, 0, 0, 35))

    def windows(self, x0, x1, z, y1, floor, fill, rng, lit=0.3):
        cw = (x1 - x0) / max(1, int((x1 - x0) / 3.6))
        for fy in range(int(y1 / floor + 0.01)):
            ya = fy * floor + floor * 0.3
            for c in range(int((x1 - x0) / cw + 0.01)):
                glass, xa = _mix(fill, (235, 240, 245), rng.random() * lit), x0 + c * cw
                self.rect(xa + 0.6, xa + cw - 0.6, z - 0.05, ya, ya + floor / 2, glass)

    # -- backdrop
    def sky(self):
        v, w, hz = self.v, self.W, int(self.hz) + 2
        self.mood = v.choice(list(_SKIES))
        top, bot, self.grade = _SKIES[self.mood]
        self.sky_top, self.sky_low = _jit(top, v, 10), _jit(bot, v, 10)
        col = Image.new("RGB", (1, hz))
        col.putdata([_mix(self.sky_top, self.sky_low, (y / hz) ** 1.4) for y in range(hz)])
        self.img.paste(col.resize((w, hz)), (0, 0))
        # clouds are painted at quarter size and blurred: soft edges for almost no cost
        m = Image.new("L", (w // 4, hz // 4 + 1))
        md = ImageDraw.Draw(m)
        for _ in range(v.randint(14, 24) if self.mood == "overcast" else v.randint(2, 9)):
            cx, cy, k = v.uniform(-10, w / 4 + 10), v.uniform(0, hz / 5), v.uniform(0.6, 1.6)
            for _ in range(v.randint(4, 9)):
                x, y, rx = cx + v.gauss(0, 12 * k), cy + v.gauss(0, 2.5 * k), v.uniform(4, 11) * k
                md.ellipse((x - rx, y - rx * 0.45, x + rx, y + rx * 0.45), fill=v.randint(90, 220))
        cloud = _mix(self.sky_low, (255, 255, 255), 0.55 if self.mood != "overcast" else 0.1)
        self.img.paste(cloud, (0, 0), m.filter(ImageFilter.GaussianBlur(2.2)).resize((w, hz)))

    def hills(self):
        r, w = self.r, self.W
        base, xs = _jit((64, 100, 72), r, 10), range(0, w + 6, 6)
        for i, haze in enumerate((0.72, 0.55, 0.36)):
            top, amp = self.hz - self.H * r.uniform(0.04, 0.13) * (1 - 0.3 * i), self.H * 0.04
            waves = [(r.uniform(0, 6.3), f, amp * a) for f, a in _RIDGE]
            pts = [(x, top + sum(a * math.sin(x / w * f + ph) for ph, f, a in waves)) for x in xs]
            c = _mix(base, self.sky_low, haze)
            self.d.polygon([*pts, (w, self.hz + 1), (0, self.hz + 1)], fill=c)
            shade = (*_mix(c, (20, 40, 20), 0.25), 90)
            for _ in range(160 * (i + 1)):  # clumps of forest so the slopes are not flat paint
                x, y0 = r.choice(pts)
                y, rad = r.uniform(y0 + 2, self.hz + 2), r.uniform(1, 2.5) * (i + 1) / 2
                self.d.ellipse((x - rad * 2, y - rad, x + rad * 2, y + rad), fill=shade)

    def skyline(self, x0, x1, z0=150, z1=400, tall=50):
        r = random.Random(self.r.random())
        for z in sorted((r.uniform(z0, z1) for _ in range(int((x1 - x0) / 12))), reverse=True):
            x, bw, bh = r.uniform(x0, x1), r.uniform(10, 25), r.uniform(12, tall)
            face = _mix(_jit((190, 186, 178), r, 20), self.sky_low, 0.45 * min(1, z / z1))
            self.box(x, x + bw, z, z + bw, 0, bh, face)
            self.windows(x + 1, x + bw - 1, z, bh, 3.2, _mix(face, (60, 80, 100), 0.4), r, 0.1)

    def treeline(self, z, x0=-400, x1=400):
        r = random.Random(self.r.random())
        color, x = _mix((48, 82, 50), self.sky_low, min(0.6, z / 1000)), x0
        while x < x1:
            self.ellipse(x, z, 0, r.uniform(2, 5), r.uniform(2.5, 6), color)
            x += r.uniform(2, 5)

    def ground(self, color):
        r, w, h, hz = self.r, self.W, self.H, int(self.hz)
        self.d.rectangle((0, hz, w, h), fill=color)
        gw, gh = w // 6, (h - hz) // 6 + 1
        noise = Image.frombytes("L", (gw, gh), r.randbytes(gw * gh)).resize((w, h - hz))
        self.img.paste(_mix(color, (30, 25, 20), 0.3), (0, hz), noise.point(lambda v: v // 3))
        grassy = color[1] > color[0] + 5
        for _ in range(1400):  # clods or grass tufts, sized by distance
            y, x = r.uniform(hz + 2, h), r.uniform(0, w)
            s = (y - self.hz) / self.cam * r.uniform(0.03, 0.12)  # W / z = pixels per metre
            c = (*_mix(color, r.choice(((250, 240, 200), (20, 30, 10))), r.uniform(0.1, 0.3)), 160)
            if grassy:
                self.d.line((x, y, x + r.uniform(-s, s), y - s * 2.5), fill=c, width=int(s / 3) + 1)
            else:
                self.d.ellipse((x - s * 1.6, y - s * 0.5, x + s * 1.6, y + s * 0.5), fill=c)
        for i in range(12):  # aerial haze near the horizon
            self.d.rectangle((0, hz + i * 2, w, hz + i * 2 + 1), fill=(*self.sky_low, 110 - i * 9))

    def water(self, pts, tint, clear):
        """Fill a ground polygon with water mirroring what is behind it, plus ripples."""
        w, h, hz, v = self.W, self.H, int(self.hz), self.v
        far = _mix(self.sky_low, tint, 0.6 - clear * 0.3)
        near = _mix(self.sky_top, tint, 0.8 - clear * 0.3)
        col = Image.new("RGB", (1, h - hz))
        col.putdata([_mix(far, near, (y / (h - hz)) ** 0.6) for y in range(h - hz)])
        col, mask = col.resize((w, h - hz)), Image.new("L", (w, h))
        ImageDraw.Draw(mask).polygon(xy := [self.p(*q) for q in pts], fill=255)
        self.img.paste(col, (0, hz), mask.crop((0, hz, w, h)))
        # mirror the far shore, hills and sky about the waterline, washed out by the water colour
        top = max(hz, int(min(y for _, y in xy)))
        tall = max(1, min(top, h - top))
        mirror = self.img.crop((0, top - tall, w, top)).transpose(Image.Transpose.FLIP_TOP_BOTTOM)
        wash = col.crop((0, top - hz, w, top - hz + tall))
        mirror = Image.blend(mirror, wash, 0.55 - clear * 0.25)
        fade = Image.linear_gradient("L").resize((w, tall)).point(lambda a: (255 - a) * 3 // 4)
        fade = ImageChops.multiply(fade, mask.crop((0, top, w, top + tall)))
        self.img.paste(mirror.filter(ImageFilter.BoxBlur(1)), (0, top), fade)
        for _ in range(320):
            x, y = v.uniform(0, w), hz + (h - hz) * v.random() ** 1.8
            if mask.getpixel((int(x), min(h - 1, int(y)))):
                c = (*_mix(near, (255, 255, 255), 0.5), 90) if v.random() < 0.6 else (*tint, 110)
                self.d.line((x, y, x + (y - hz) * v.uniform(0.05, 0.25), y), fill=c)

    # -- props
    def tree(self, x, z, size=1.0, young=False):
        r = random.Random(f"{x:.2f}/{z:.2f}")
        g = r.choice(_GREENS)
        if young:  # sapling held up by bamboo braces
            self.line([(x, z, 0), (x, z, 2.4)], (88, 70, 52), 0.1)
            for dx in (-0.7, 0.7):
                self.line([(x + dx, z, 0), (x, z, 1.3)], (160, 130, 90), 0.05)
            self.ellipse(x, z, 2.6, 0.9, 0.8, g)
            return
        h, rad = r.uniform(3, 5) * size, r.uniform(2.3, 3.8) * size
        self.ellipse(x - self.sun * rad * 0.6, z, 0, rad * 1.1, rad * 0.25, (30, 40, 20, 70))
        if r.random() < 0.15:  # fan palm, common along Guangdong streets
            top = (x + r.uniform(-0.5, 0.5), z, h * 1.8)
            self.line([(x, z, 0), top], (120, 105, 85), 0.35 * size)
            for a in range(9):
                dx, dy = math.cos(a * 0.7) * rad, math.sin(a * 0.7) * rad * 0.35
                tx, _, ty = top
                mx, my, wd = tx + dx * 0.55, ty + dy + 0.5, 0.2 * rad
                frond = [top, (mx, z, my + wd), (tx + dx, z, ty + dy - 0.8), (mx, z, my - wd)]
                self.poly(frond, _mix(g, (0, 0, 0), a % 2 * 0.25))
            return
        self.line([(x, z, 0), (x, z, h + rad * 0.5)], (88, 70, 52), 0.4 * size)
        for shade, n, spread, k in ((0.35, 7, 0.55, 0.6), (0, 6, 0.45, 0.48), (-0.35, 4, 0.3, 0.3)):
            c = _mix(g, (0, 0, 0), shade) if shade >= 0 else _mix(g, (225, 230, 150), -shade)
            lift = 0.2 if shade < 0.2 else 0  # lighter foliage sits up and towards the sun
            for _ in range(n):
                dx = (r.uniform(-spread, spread) + self.sun * lift) * rad
                dy = (r.uniform(-spread, spread) * 0.8 + 0.75 + lift * 0.75) * rad
                rr = rad * r.uniform(k * 0.8, k * 1.1)
                self.ellipse(x + dx, z, h + dy, rr, rr * 0.9, c)

    def person(self, x, z, worker=False):
        v = self.v
        shirt, step = _WORKER if worker else v.choice(_SHIRTS), v.uniform(-0.15, 0.15)
        for dx in (-0.1, 0.1):
            leg = [(x + dx * 0.8, z, 0.85), (x + dx + math.copysign(step, dx), z, 0)]
            self.line(leg, v.choice(_PANTS), 0.15)
        torso = [(x - 0.18, 0.8), (x + 0.18, 0.8), (x + 0.23, 1.42), (x - 0.23, 1.42)]
        self.poly([(px, z, py) for px, py in torso], shirt)
        for dx in (-0.25, 0.25):
            arm = [(x + dx, z, 1.4), (x + dx * 1.2, z, 0.88)]
            self.line(arm, _mix(shirt, (0, 0, 0), 0.15), 0.1)
        if worker:  # reflective stripe and hard hat
            self.line([(x - 0.2, z, 1.1), (x + 0.2, z, 1.1)], (230, 230, 210), 0.06)
        self.ellipse(x, z, 1.57, 0.1, 0.13, (214, 172, 136))
        hat = v.choice(((250, 205, 30), (230, 60, 40), (245, 245, 245))) if worker else (36, 30, 28)
        self.ellipse(x, z, 1.67, 0.13, 0.07, hat)

    def excavator(self, x, z, k=1, color=(238, 178, 32)):
        dark = (50, 48, 46)
        self.rect(x - 2.3, x + 2.3, z, 0, 0.9, dark)
        self.rect(x - 2.0 * k, x + 1.6 * k, z, 0.9, 2.2, color)
        self.rect(x, x + 1.3 * k, z, 2.2, 3.3, color)
        self.rect(x + 0.15 * k, x + 1.15 * k, z, 2.4, 3.1, (70, 90, 105))
        boom = [(x + 1.3 * k, z, 2.0), (x + 4.2 * k, z, 4.4), (x + 6.4 * k, z, 1.0)]
        self.line(boom, color, 0.55)
        self.poly([(x + 6.0 * k, z, 1.3), (x + 7.0 * k, z, 0.2), (x + 5.8 * k, z, 0.1)], dark)

    def crane(self, x, z, h, jib, k, color):
        """Tower crane: lattice mast, jib and counter-jib with ballast, cab and hook."""
        for dx in (-0.9, 0.9):
            self.line([(x + dx, z, 0), (x + dx, z, h)], color, 0.2)
        for y in range(0, int(h), 2):
            self.line([(x - 0.9, z, y), (x + 0.9, z, y + 2)], color, 0.1)
        for y in (h, h + 1.4):
            self.line([(x - 12 * k, z, y), (x + jib * k, z, y)], color, 0.18)
        for xa in (x - 12 * k + i * 2 * k for i in range(int(jib + 12) // 2)):
            self.line([(xa, z, h), (xa + k, z, h + 1.4), (xa + 2 * k, z, h)], color, 0.08)
        tie = [(x - 12 * k, z, h + 1.4), (x, z, h + 6), (x + jib * 0.7 * k, z, h + 1.4)]
        self.line(tie, (90, 90, 90), 0.08)
        self.rect(x - 12 * k, x - 8 * k, z, h - 1.6, h, (120, 120, 118))
        self.rect(x + 0.9 * k, x + 3 * k, z, h - 2.4, h, (220, 225, 230))
        hx = x + jib * 0.6 * k
        self.line([(hx, z, h), (hx, z, h * 0.45)], (60, 60, 60), 0.05)
        self.rect(hx - 0.4, hx + 0.4, z, h * 0.45 - 0.8, h * 0.45, (200, 60, 40))

    def hoarding(self, z, x0, x1, gap, color):
        for x in range(int(x0), int(x1), 4):
            if not gap[0] < x < gap[1]:
                self.rect(x, x + 3.9, z, 0, 2.4, color)
                self.rect(x, x + 3.9, z, 2.0, 2.4, (236, 236, 232))

    def cabins(self, x, z, n=4):
        """Two-storey prefab site offices with blue roofs."""
        for y in (0, 2.9):
            self.box(x, x + 6 * n, z, z + 6, y, y + 2.8, (234, 234, 230))
            self.rect(x - 0.2, x + 6 * n + 0.2, z - 0.05, y + 2.55, y + 2.85, (46, 98, 170))
            for i in range(n):
                self.rect(x + i * 6 + 1, x + i * 6 + 2.6, z - 0.06, y + 1, y + 2, (90, 110, 130))
                self.rect(x + i * 6 + 3.6, x + i * 6 + 4.6, z - 0.06, y, y + 2.1, (110, 140, 180))

    def crowd(self, n, place, worker):
        for x, z in sorted((place(self.v) for _ in range(n)), key=lambda q: -q[1]):
            self.person(x, z, worker=worker)


# -- scenes, one per project kind -------------------------------------------------------------


def _building(sc, small=False):
    r, t, v = sc.r, sc.t, sc.v
    fh, k, wr = 3.9, r.choice((-1, 1)), random.Random(r.random())
    floors = r.randint(2, 3) if small else r.randint(4, 7)
    bw = r.uniform(24, 36) if small else r.uniform(45, 75)
    x0, z0 = r.uniform(-0.9, -0.1) * bw, r.uniform(50, 65) if small else r.uniform(95, 130)
    x1, mid, top = x0 + bw, x0 + bw / 2, floors * fh
    blocks = [(x0, x1, z0, z0 + r.uniform(14, 20), top)]
    if not small and r.random() < 0.6:  # lower annex beside the main block
        aw = r.uniform(18, 30)
        ax = x1 + 5 if k > 0 else x0 - 5 - aw
        blocks.append((ax, ax + aw, z0 + r.uniform(-8, 4), z0 + 25, r.randint(2, 3) * fh))
    paint, glass = _jit(r.choice(_PAINTS), r, 8), _jit((72, 98, 122), r, 10)
    earth = r.choice(_EARTHS)
    cx, cz = (x0 - 6 if k > 0 else x1 + 6), z0 + r.uniform(10, 30)  # crane away from the annex
    # keep the jib inside the frame: the highest point visible at depth cz, less the apex
    ch = max(top + 5, min(top + r.uniform(10, 20), sc.cam + (sc.hz - 0.12 * sc.H) * cz / sc.W - 6))
    crane = (cx, cz, ch, r.uniform(35, 50), k, r.choice(_CRANES))
    fence = r.choice(((40, 110, 170), (40, 130, 80)))
    sc.hills()
    sc.treeline(700)
    if not small:
        sc.skyline(-400, 400, 300, 700, 40)
    sc.ground(_mix(earth, (170, 150, 120), 0.4) if t < 0.85 else _mix(_GRASS, earth, 0.15))
    if t < 0.85:
        off, ruts = v.uniform(-20, 0), (*_mix(earth, (0, 0, 0), 0.35), 80)
        tyre = [(off + 6 * math.sin(z / 25), z) for z in range(20, 200, 4)]
        for dx in (0, 2.2):
            sc.ribbon(tyre, dx, dx + 0.5, ruts)
        sc.cabins(cx - 36 if k > 0 else cx + 8, z0 - 20)
        sc.mound(cx + 10 * k, z0 - 12, 4, (196, 180, 140))  # sand
    else:  # paved forecourt
        sc.patch(x0 - 12, x1 + 12, 21, z0, (196, 190, 180))
        for z in (20 * 1.08**i for i in range(int(math.log(z0 / 20, 1.08)))):
            sc.line([(x0 - 12, z, 0), (x1 + 12, z, 0)], (160, 154, 146, 120), 0.04)
        sc.patch(mid - 3, mid + 3, 20, z0, (168, 158, 148))
    if 0.1 < t < 0.8:
        sc.crane(*crane)
    built, finish = _ramp(t, 0.15, 0.6), _ramp(t, 0.55, 0.85)
    for bx0, bx1, bz0, bz1, btop in sorted(blocks, key=lambda b: -b[2]):
        if built == 0:  # foundation pit with pile heads and a piling rig
            sc.patch(bx0, bx1, bz0, bz1, _mix(earth, (0, 0, 0), 0.4))
            sc.rect(bx0, bx1, bz1, -5, 0, _mix(earth, (255, 255, 255), 0.1))
            for x in range(int(bx0) + 2, int(bx1) - 1, 4):
                sc.line([(x, bz0 + 6, -3.5), (x, bz0 + 6, -2)], (160, 160, 155), 0.6)
            sc.line([(bx1 - 5, bz0 + 3, 0), (bx1 - 5, bz0 + 3, 24)], (200, 70, 40), 0.8)
            continue
        h = max(fh, round(btop * built / fh) * fh)
        sc.box(bx0, bx1, bz0, bz1, 0, h, _mix(_CONCRETE, paint, finish))
        sc.windows(bx0, bx1, bz0, h, fh, _mix((42, 42, 46), glass, finish), wr, 0.35 * finish)
        if t >= 0.85:  # parapet and plinth
            sc.rect(bx0 - 0.5, bx1 + 0.5, bz0 - 0.1, h - 0.9, h + 0.6, _mix(paint, (0, 0, 0), 0.12))
            sc.rect(bx0, bx1, bz0 - 0.1, 0, 0.6, (120, 116, 110))
        elif h < btop or t < 0.7:  # column rebar sticking out of the top slab
            for x in range(int(bx0), int(bx1) + 1, 2):
                sc.line([(x, bz0, h), (x, bz0, h + 1.2)], (110, 90, 70), 0.06)
        if 0.2 < t < 0.85:  # scaffolding in green safety net, stripped from the top down
            net = (h + 1.5 if h >= btop else h - fh) * (1 - _ramp(t, 0.62, 0.82))
            for i, x in enumerate(range(int(bx0) - 1, int(bx1) + 1, 2)):
                sc.rect(x, x + 2, bz0 - 1.2, 0, net, (36, 108 + i % 2 * 14, 72, 215))
                sc.line([(x, bz0 - 1.3, 0), (x, bz0 - 1.3, h + 1.5)], (150, 134, 110), 0.05)
            for y in range(0, int(h + 2), 2):
                sc.line([(bx0 - 1, bz0 - 1.3, y), (bx1 + 1, bz0 - 1.3, y)], (150, 134, 110), 0.05)
    if t >= 0.85:  # entrance canopy; community facilities carry a red signboard
        sc.box(mid - 5, mid + 5, z0 - 4, z0, 3.4, 3.9, (232, 232, 232))
        if small:
            sc.rect(mid - 6, mid + 6, z0 - 4.1, 4.2, 5.4, (196, 36, 32))
        elif r.random() < 0.7:  # flagpole in front of a school or hospital
            sc.line([(mid - 12, z0 - 14, 0), (mid - 12, z0 - 14, 16)], (220, 220, 225), 0.15)
            sc.rect(mid - 12, mid - 9, z0 - 14, 13.5, 15.8, (214, 40, 36))
        for x in range(int(x0) - 8, int(x1) + 16, 8):
            sc.tree(x, 36, 0.9)
        sc.crowd(v.randint(3, 9), lambda v: (v.uniform(-10, 10), v.uniform(26, 45)), False)
        return
    if t < 0.45:
        sc.excavator(x0 + bw * 0.35, z0 - 10, k)
        sc.mound(x0 + bw * 0.75, z0 - 7, 7, _mix(earth, (0, 0, 0), 0.1))
    sc.crowd(v.randint(2, 6), lambda v: (v.uniform(-10, 10), v.uniform(38, z0 - 12)), True)
    sc.hoarding(36, -90, 90, (mid - 5, mid + 5), fence)


def _park(sc):
    r, t, v = sc.r, sc.t, sc.v
    grass, earth = _jit(_GRASS, r, 10), r.choice(_EARTHS)
    a, ph, court = r.uniform(-8, 8), r.uniform(0, 6), r.random() < 0.55
    cx = r.choice((-1, 1)) * r.uniform(14, 22)
    path = [(a + 5 * math.sin(z / 18 + ph), z) for z in (20 * 1.08**i for i in range(40))]
    trees = [(r.uniform(-70, 70), r.uniform(26, 260), r.random() < 0.2) for _ in range(40)]
    trees.sort(key=lambda q: -q[1])
    turf = [(r.uniform(-40, 40), r.uniform(22, 120), r.uniform(3, 8)) for _ in range(40)]
    sc.hills()
    sc.treeline(500)
    sc.ground(_mix(earth, grass, _ramp(t, 0.5, 0.85)))
    for x, z, dx in turf[: int(t * 40) if t < 0.85 else 0]:  # turf rolls being laid
        sc.patch(x, x + dx, z, z + dx * 0.7, (*grass, 230))
    stripe = (*_mix(grass, (200, 220, 120), 0.2), 70)
    for i in range(12 if t >= 0.85 else 0):  # mowing stripes
        sc.patch(-200, 200, 22 * 1.22**i, 22 * 1.22 ** (i + 0.5), stripe)
    if t > 0.4:  # sports ground: base course, then coloured surface, then line markings
        surf = (60, 60, 62) if t < 0.6 else (52, 102, 160) if court else (176, 70, 56)
        if court:
            sc.patch(cx - 10, cx + 10, 50, 82, (70, 126, 90) if t >= 0.6 else surf)
            sc.patch(cx - 7.5, cx + 7.5, 52, 80, surf)
            for z in (52, 66, 80) if t > 0.75 else ():
                sc.line([(cx - 7.5, z, 0), (cx + 7.5, z, 0)], (240, 240, 240), 0.12)
            for x in (cx - 7.5, cx + 7.5) if t > 0.75 else ():
                sc.line([(x, 52, 0), (x, 80, 0)], (240, 240, 240), 0.12)
        else:
            ring = [(math.cos(i / 40 * math.tau), math.sin(i / 40 * math.tau)) for i in range(40)]
            sc.poly([(cx + 30 * x, 120 + 45 * z, 0) for x, z in ring], surf)
            sc.poly([(cx + 21.5 * x, 120 + 36 * z, 0) for x, z in ring], grass)
    if t > 0.3:
        sc.ribbon(path, -1.8, 1.8, (168, 162, 150) if t < 0.8 else _jit((176, 100, 78), r, 12))
    for x, z, old in trees:
        on_court = court and abs(x - cx) < 12 and 45 < z < 86
        if on_court or abs(x - (a + 5 * math.sin(z / 18 + ph))) < 4:
            continue
        if old or t >= 0.85:
            sc.tree(x, z, 1.2 if old else 0.7 + (x * 7 % 4) / 10)
        elif t > 0.4:
            sc.tree(x, z, young=True)
    if t < 0.4:
        sc.mound(cx, 70, 9, _mix(earth, (0, 0, 0), 0.1))
        sc.excavator(cx - 12 * math.copysign(1, cx), 45, -math.copysign(1, cx))
        sc.hoarding(30, -60, -12, (0, 0), (36, 120, 70))

    def on_path(v):
        z = v.uniform(24, 45)
        return a + 5 * math.sin(z / 18 + ph) + v.uniform(-1.5, 1.5), z

    sc.crowd(v.randint(2, 7), on_path, t < 0.85)


def _greenway(sc):
    r, t, v = sc.r, sc.t, sc.v
    e0, ph = r.uniform(-9, -4), r.uniform(0, 6)
    edge = [(e0 + 3 * math.sin(z / 40 + ph), z) for z in (20 * 1.1**i for i in range(50))]
    far = [(x - 70, z) for x, z in edge if z > 60]
    trees = sorted(((r.uniform(9, 45), r.uniform(22, 200)) for _ in range(26)), key=lambda q: -q[1])
    sc.hills()
    sc.treeline(500)
    sc.ground(_mix(r.choice(_EARTHS), _GRASS, min(1.0, t * 1.3)))
    sc.ribbon(far, -2000, 0, (74, 110, 60))
    for x, z in far[::2]:  # the opposite bank
        sc.treeline(z, x - 150, x - 1)
    water = [(x, z, 0) for x, z in edge + far[::-1]] + [(-2000, 60, 0), (-2000, 20, 0)]
    sc.water(water, _mix((96, 100, 70), (58, 104, 118), t), t)
    sc.ribbon(edge, 0, 2.5, (128, 100, 74) if t < 0.4 else (124, 120, 108))  # bank revetment
    for x, z in edge[:30]:  # reeds at the waterline
        for _ in range(4 if t > 0.6 else 1):
            xr = x + v.uniform(-1, 0.6)
            reed = [(xr, z, 0), (xr + v.uniform(-0.3, 0.3), z, v.uniform(0.8, 2))]
            sc.line(reed, v.choice(((150, 140, 90), (110, 130, 70))), 0.05)
    if t > 0.25:
        sc.ribbon(edge, 4, 7, (192, 182, 160) if t < 0.75 else (176, 74, 62))
    if t >= 0.75:  # edge lines and a railing along the water
        for dx in (4.2, 6.8):
            sc.line([(x + dx, z, 0) for x, z in edge], (235, 235, 230), 0.1)
        for x, z in edge[:40:2]:
            sc.line([(x + 3, z, 0), (x + 3, z, 1.1)], (90, 80, 70), 0.08)
        sc.line([(x + 3, z, 1.1) for x, z in edge[:40]], (110, 96, 84), 0.1)
    for x, z in trees:
        if t > 0.35:
            sc.tree(e0 + 3 * math.sin(z / 40 + ph) + x, z, 0.8 + x % 0.4, young=t < 0.75)
    if t < 0.5:
        sc.mound(e0 + 14, 60, 8, (130, 100, 70))
        sc.excavator(e0 + 7, 40, -1)

    def on_path(v):
        z = v.uniform(23, 60)
        return e0 + 3 * math.sin(z / 40 + ph) + 5.5 + v.uniform(-0.8, 0.8), z

    sc.crowd(v.randint(1, 5), on_path, t < 0.75)


def _road(sc):
    r, t, v = sc.r, sc.t, sc.v
    rx, posts = r.uniform(-6, -2), [z for z in (22 * 1.25**i for i in range(20)) if z < 600]
    sc.hills()
    sc.skyline(-160, -20)
    sc.skyline(20, 160)
    sc.ground(_mix(r.choice(_EARTHS), _GRASS, 0.3 if t < 0.75 else 0.8))
    sc.patch(-12, 12, 20, 2000, (160, 130, 98) if t < 0.25 else (150, 146, 138))  # subgrade
    pave = 20 + 400 * _ramp(t, 0.3, 0.85) ** 2.5 if t < 0.85 else 2000  # asphalt paving front
    if t > 0.3:
        sc.patch(-8, 8, 20, pave, (62, 64, 68))
    for x in (-8.3, 8) if t > 0.45 else ():  # kerbs
        sc.patch(x, x + 0.3, 20, 2000, (212, 210, 204))
    if t >= 0.85:  # pavements, double yellow centre line, lane dashes
        sc.patch(-12, -8.3, 20, 2000, (186, 176, 166))
        sc.patch(8.3, 12, 20, 2000, (186, 176, 166))
        for x in (-0.25, 0.08):
            sc.patch(x, x + 0.17, 20, 2000, (226, 190, 40))
        for z in (20 * 1.09**i for i in range(50)):
            for x in (-4, 4):
                sc.patch(x - 0.08, x + 0.08, z, z + 3, (235, 235, 235))
    for i, z in enumerate(posts):
        for k in (-1, 1) if t > 0.55 else ():  # street lights
            sc.line([(k * 9, z, 0), (k * 9, z, 10), (k * 7.4, z, 10.4)], (150, 152, 156), 0.18)
            sc.ellipse(k * 7.2, z, 10.3, 0.5, 0.15, (235, 235, 225))
        for k in (-1, 1) if t >= 0.85 and i % 2 else ():
            sc.tree(k * 10.6, z + 2, 0.7)
    if t < 0.85:  # water-filled barriers down the median
        for z in (20 * 1.06**i for i in range(40)):
            sc.box(-0.4, 0.4, z, z + 1.6, 0, 0.8, (236, 110, 40) if int(z) % 2 else (240, 240, 236))
    if t < 0.3:
        sc.mound(-rx + 4, 60, 5, (150, 120, 90))
        sc.excavator(rx, 40, r.choice((-1, 1)))
    elif t < 0.85:  # road roller at the paving front
        z = max(26, pave)
        sc.box(rx - 1, rx + 1, z, z + 4, 0, 1.4, (240, 190, 40))
        sc.rect(rx - 1.1, rx + 1.1, z - 0.2, 0.1, 1.3, (50, 50, 50))
        sc.box(rx - 0.8, rx + 0.8, z + 1.5, z + 3, 1.4, 3.0, (230, 232, 235))
    cars = sorted(((v.uniform(28, 160), v.choice((-6, -2, 2, 6))) for _ in range(6)), reverse=True)
    for z, x in cars if t >= 0.85 else ():  # traffic, seen from behind
        sc.box(x - 0.9, x + 0.9, z, z + 4.5, 0.2, 1.3, v.choice(_CARS))
        sc.box(x - 0.75, x + 0.75, z + 1, z + 3.2, 1.3, 1.9, (50, 58, 66))
        for dx in (-0.8, 0.55):
            sc.rect(x + dx, x + dx + 0.25, z - 0.01, 0.9, 1.1, (210, 40, 30))

    def spot(v):
        if t >= 0.85:
            return v.choice((-1, 1)) * v.uniform(9, 11), v.uniform(24, 50)
        return v.uniform(-7, 7), v.uniform(24, 50)

    sc.crowd(v.randint(1, 4), spot, t < 0.85)


def _lake(sc):
    r, t, v = sc.r, sc.t, sc.v
    zf, bx, k = r.uniform(250, 420), r.uniform(-4, 4), r.choice((-1, 1))
    walk = [(bx, 24), (bx + 10 * k, 60), (bx - 4 * k, 100), (bx + 6 * k, 150)]  # zigzag bridge
    sc.hills()
    if r.random() < 0.5:
        sc.skyline(-300, -80, zf + 50, zf + 250, 35)
    sc.treeline(zf + 5)
    sc.ground(_mix(r.choice(_EARTHS), _GRASS, min(1.0, t * 1.4)))
    lake = [(-3000, zf, 0), (3000, zf, 0), (3000, 26, 0), (-3000, 26, 0)]
    sc.water(lake, _mix((96, 104, 70), (52, 100, 120), t), t)
    sc.patch(-3000, 3000, zf - 2, zf, (200, 196, 186) if t > 0.5 else (110, 96, 70))  # far bank
    sc.patch(-3000, 3000, zf - 30, zf - 2, (*_mix((40, 70, 46), sc.sky_low, 0.4), 90))  # reflected
    if t < 0.5:  # algae bloom and a dredging barge
        for _ in range(int((0.5 - t) * 60)):
            x, z = v.uniform(-80, 80), v.uniform(35, 200)
            sc.ellipse(x, z, 0, v.uniform(2, 8), 0.3, (90, 120, 50, 150))
        x = r.uniform(-30, 20)
        sc.box(x, x + 16, 110, 117, 0, 1.5, (200, 90, 40))
        sc.box(x + 2, x + 7, 111, 115, 1.5, 4.5, (230, 230, 225))
        sc.line([(x + 9, 110, 1.5), (x + 20, 110, 9), (x + 25, 110, 0)], (230, 180, 40), 0.6)
    for (xa, za), (xb, zb) in reversed(list(pairwise(walk))):
        n = int((zb - za) / 4)
        for x, z in ((xa + (xb - xa) * i / n, za + (zb - za) * i / n) for i in range(n, -1, -1)):
            for dx in (-1.3, 1.3) if t > 0.3 else ():  # piles
                sc.line([(x + dx, z, -0.5), (x + dx, z, 0.8)], (90, 80, 70), 0.2)
        if t > 0.5:  # deck and its edge
            sc.ribbon([(xa, za), (xb, zb)], -1.3, 1.3, (150, 110, 76), 0.8)
            sc.line([(xa - 1.3, za, 0.65), (xb - 1.3, zb, 0.65)], (96, 70, 50), 0.3)
        for dx in (-1.3, 1.3) if t >= 0.8 else ():  # hand rails
            sc.line([(xa + dx, za, 1.9), (xb + dx, zb, 1.9)], (120, 84, 60), 0.1)
    if t >= 0.8:  # pavilion at the end of the bridge, lotus leaves, strollers
        px, pz = walk[-1]
        for dx in (-2.5, 2.5):
            sc.line([(px + dx, pz, 0.8), (px + dx, pz, 4)], (160, 40, 36), 0.35)
        roof = [(-4.5, 4.4), (-3, 4), (3, 4), (4.5, 4.4), (0, 7)]
        sc.poly([(px + dx, pz, y) for dx, y in roof], (60, 64, 70))
        for _ in range(v.randint(6, 14)):
            x, z = bx - 14 * k + v.uniform(-8, 8), v.uniform(30, 50)
            sc.ellipse(x, z, 0, 0.7, 0.25, (70, 130, 60))

        def on_bridge(v):
            i, f = v.randrange(3), v.random()
            return (walk[i][0] + (walk[i + 1][0] - walk[i][0]) * f,
                    walk[i][1] + (walk[i + 1][1] - walk[i][1]) * f)  # fmt: skip

        sc.crowd(v.randint(2, 5), on_bridge, False)
    sc.patch(-3000, 3000, 20, 26, _mix(_EARTHS[0], _GRASS, t) if t > 0.6 else (118, 98, 72))
    if t >= 0.8:
        sc.tree(-k * r.uniform(9, 12), 24, 1.2)
    elif t > 0.3:
        sc.person(bx, 30, worker=True)


_SCENES = {
    "building": _building,
    "park": _park,
    "greenway": _greenway,
    "road": _road,
    "lake": _lake,
}
_SCENES["facility"] = lambda sc: _building(sc, small=True)


# -- finishing: grade, grain, vignette, caption ---------------------------------------------------


@lru_cache(maxsize=8)
def _vignette(size):
    g = Image.radial_gradient("L").resize(size).point(lambda v: 255 - max(0, v - 120) * 60 // 135)
    return Image.merge("RGB", (g, g, g))


@lru_cache(maxsize=1)
def _cjk_font_path():
    for path in (*_FONT_PATHS, *sorted(glob.glob("/usr/share/fonts/**/*CJK*", recursive=True))):
        if os.path.isfile(path):
            return path
    return None


@lru_cache(maxsize=16)
def _font(size):
    """Return (font, has_cjk)."""
    if path := _cjk_font_path():
        try:
            return ImageFont.truetype(path, size), True
        except OSError:
            pass
    return ImageFont.load_default(size=size), False


def _caption(img, text):
    w, h = img.size
    band = max(16, int(h * 0.06))
    font, cjk = _font(int(band * 0.5))
    if not cjk:  # keep the Latin parts ("No.37 · 2022-09-15") rather than drawing tofu boxes
        text = re.sub(r"\s+", " ", "".join(c if ord(c) < 0x250 else " " for c in text))
        text = re.sub(r"(\s*·\s*)+", " · ", text).strip(" ·")
    for size in range(int(band * 0.5) - 2, 8, -2):  # shrink overlong captions to fit
        if font.getlength(text) <= w - band:
            break
        font = _font(size)[0]
    draw = ImageDraw.Draw(img, "RGBA")
    draw.rectangle((0, h - band, w, h), fill=(0, 0, 0, 135))
    y = h - band / 2 - sum(draw.textbbox((0, 0), text, font=font)[1::2]) / 2
    draw.text((band * 0.45, y), text, font=font, fill=(255, 255, 255))


def make_site_photo(
    *, kind: str, stage: float, seed: int, caption: str, width: int = 1600, height: int = 1067
) -> bytes:
    """Return JPEG bytes of a generated construction-site photo."""
    stage = min(1.0, max(0.0, float(stage)))
    # painting at half size and upscaling is faster, and softer like a real lens
    sc = _Scene(max(64, width // 2), max(48, height // 2), seed, stage)
    sc.sky()
    _SCENES.get(kind, _building)(sc)
    img = sc.img.resize((width, height), Image.Resampling.BICUBIC)
    if sc.flip:
        img = img.transpose(Image.Transpose.FLIP_LEFT_RIGHT)
    if sc.grade:
        img = Image.blend(img, Image.new("RGB", img.size, sc.grade), 0.08)
    grain = Image.frombytes("L", img.size, sc.v.randbytes(width * height))
    grain = grain.point(lambda v: 116 + v * 24 // 255)  # centred on 128, which overlay leaves alone
    img = ImageChops.overlay(img, Image.merge("RGB", (grain, grain, grain)))
    img = ImageChops.multiply(img, _vignette(img.size))
    _caption(img, caption)
    buf = io.BytesIO()
    img.save(buf, "JPEG", quality=82, progressive=True)
    return buf.getvalue()
