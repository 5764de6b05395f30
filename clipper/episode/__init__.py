"""Stage 1: load an episode page and normalise its transcript into plain dataclasses."""
