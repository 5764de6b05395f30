"""The pictures a card or an audiogram is made of, decoded and drawn once
per episode and theme (:class:`CardAssets`): the artwork and the background
coloured from it, the speakers' photos as round badges (initials when there
is no photo), the theme's logo."""

from __future__ import annotations

import functools
from pathlib import Path

from PIL import Image, ImageChops, ImageDraw, ImageFilter, ImageOps

from clipper.episode import Episode, Person
from clipper.render.sizes import SizeSpec
from clipper.render.theme import Theme

MIN_ARTWORK_SIDE = 32


def open_image(
    path: Path, what: str, instead: str = "the plain background"
) -> tuple[Image.Image | None, list[str]]:
    """Decode ``path`` to RGB; problems become warnings (saying that ``instead``
    is used), never exceptions."""
    if not Path(path).is_file():
        return None, [f"{path}: {what} not found; using {instead}"]
    try:
        with Image.open(path) as raw:
            raw.draft("RGB", (2048, 2048))
            image = ImageOps.exif_transpose(raw)
            image.load()
    except (OSError, SyntaxError, ValueError, Image.DecompressionBombError) as exc:
        reason = str(exc).replace(f" '{path}'", "").replace(str(path), "").strip() or "corrupt"
        return None, [f"{path}: {what} is unreadable ({reason}); using {instead}"]
    warnings = []
    if min(image.size) < MIN_ARTWORK_SIDE:
        size = "x".join(map(str, image.size))
        return None, [f"{path}: {what} is only {size} px; using {instead}"]
    if image.mode not in ("RGB", "L", "RGBA", "LA"):
        warnings.append(f"{path}: {what} is in {image.mode} mode; converted to RGB")
    if image.mode in ("RGBA", "LA", "P", "PA"):
        image = _flatten(image.convert("RGBA"))
    return image.convert("RGB"), warnings


def _flatten(image: Image.Image) -> Image.Image:
    base = Image.new("RGBA", image.size, "#FFFFFF")
    return Image.alpha_composite(base, image).convert("RGB")


class CardAssets:
    """Everything decoded once per episode and theme, reused by every card:
    the artwork, the speakers' photos and one background per canvas size."""

    def __init__(self, episode: Episode, theme: Theme) -> None:
        self.theme = theme
        self.artwork, self.warnings = (None, [])
        if theme.artwork != "none" and episode.artwork is None:
            self.warnings = [f"{episode.path}: no artwork ('image'); using the plain background"]
        elif theme.artwork != "none":
            self.artwork, self.warnings = open_image(episode.artwork, "artwork")
        self._photos: dict[str, tuple[Image.Image | None, list[str]]] = {}
        self._backgrounds: dict[tuple[int, int], Image.Image] = {}
        self._badges: dict[tuple[str, int], Image.Image] = {}
        self._logos: dict[tuple[int, int], Image.Image] = {}

    def photo(self, person: Person | None) -> tuple[Image.Image | None, list[str]]:
        """The speaker's decoded photo (None when there is none) and any warnings."""
        if person is None or person.photo is None or not self.theme.photo:
            return None, []
        if person.id not in self._photos:
            what = f"photo of {person.name}"
            self._photos[person.id] = open_image(person.photo, what, instead="no photo")
        return self._photos[person.id]

    def logo(self, width: int, height: int) -> Image.Image:
        """The theme's logo as RGBA at ``width`` x ``height``, decoded once."""
        if (width, height) not in self._logos:
            assert self.theme.logo is not None
            with Image.open(self.theme.logo) as raw:
                logo = raw.convert("RGBA").resize((width, height), Image.Resampling.LANCZOS)
            self._logos[width, height] = logo
        return self._logos[width, height]

    def badge(self, person: Person | None, diameter: int) -> Image.Image:
        """The speaker's round photo (or initials) at ``diameter``, made once."""
        key = (person.id if person else "", diameter)
        if key not in self._badges:
            photo, _ = self.photo(person)
            initials = _initials(person.name) if person else ""
            self._badges[key] = round_badge(photo, diameter, initials, self.theme)
        return self._badges[key]

    def background(self, spec: SizeSpec) -> Image.Image:
        key = (spec.width, spec.height)
        if key not in self._backgrounds:
            self._backgrounds[key] = self._make_background(spec)
        return self._backgrounds[key]

    def _make_background(self, spec: SizeSpec) -> Image.Image:
        """The artwork coloured by the theme: multiplied with the background colour
        (white stays the brand colour, dark parts darken it), then covered by
        ``artwork_tint`` of the plain colour. Blur works on a small copy: the
        same look as a full-size blur at a fraction of the cost."""
        size = (spec.width, spec.height)
        if self.artwork is None:
            return Image.new("RGB", size, self.theme.background)
        if self.theme.artwork == "blur":
            small = (max(1, spec.width // 8), max(1, spec.height // 8))
            art = ImageOps.fit(self.artwork, small, Image.Resampling.BILINEAR)
            art = art.filter(ImageFilter.GaussianBlur(self.theme.artwork_blur * spec.unit / 8))
            return self._tint(art).resize(size, Image.Resampling.BILINEAR)
        return self._tint(ImageOps.fit(self.artwork, size, Image.Resampling.LANCZOS))

    def _tint(self, art: Image.Image) -> Image.Image:
        plain = Image.new("RGB", art.size, self.theme.background)
        return Image.blend(ImageChops.multiply(art, plain), plain, self.theme.artwork_tint)


def round_badge(
    photo: Image.Image | None, diameter: int, initials: str, theme: Theme
) -> Image.Image:
    """A circular photo (or initials on a soft accent disc) with a thin accent
    ring, as RGBA with anti-aliased edges."""
    mask, ring = _circle_masks(diameter)
    if photo is not None:
        disc = ImageOps.fit(photo, (diameter, diameter), Image.Resampling.LANCZOS)
    else:
        disc = _monogram(initials, diameter, theme)
    disc.paste(Image.new("RGB", disc.size, theme.accent), (0, 0), ring)
    disc = disc.convert("RGBA")
    disc.putalpha(mask)
    return disc


@functools.lru_cache(maxsize=32)
def _circle_masks(diameter: int) -> tuple[Image.Image, Image.Image]:
    """A filled disc and a ring of ``diameter`` px, drawn 4x larger and reduced."""
    scale, big = 4, diameter * 4
    ring_width = max(2, diameter // 60) * scale
    masks = []
    for options in ({"fill": 255}, {"outline": 255, "width": ring_width}):
        layer = Image.new("L", (big, big), 0)
        ImageDraw.Draw(layer).ellipse((0, 0, big - 1, big - 1), **options)
        masks.append(layer.resize((diameter, diameter), Image.Resampling.LANCZOS))
    return masks[0], masks[1]


def _monogram(initials: str, diameter: int, theme: Theme) -> Image.Image:
    disc = Image.new("RGB", (diameter, diameter), mix(theme.accent, theme.background, 0.35))
    if initials:
        font = theme.font("name", round(diameter * 0.38))
        ImageDraw.Draw(disc).text(
            (diameter / 2, diameter / 2), initials, font=font, fill=theme.background, anchor="mm"
        )
    return disc


def mix(color: str, other: str, amount: float) -> str:
    """``color`` moved ``amount`` (0-1) toward ``other``, as #RRGGBB."""
    a = [int(color[i : i + 2], 16) for i in (1, 3, 5)]
    b = [int(other[i : i + 2], 16) for i in (1, 3, 5)]
    return "#" + "".join(f"{round(x + (y - x) * amount):02X}" for x, y in zip(a, b, strict=True))


def _initials(name: str) -> str:
    parts = [p for p in name.split() if p[:1].isalpha()]
    return "".join(p[0] for p in parts[:1] + parts[1:][-1:]).upper()
