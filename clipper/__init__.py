"""clipper: turn a podcast episode page into ready-to-post social media assets."""

__version__ = "0.1.0"
