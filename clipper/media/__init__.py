"""Media plumbing: the bundled ffmpeg (running, probing) and fetching an episode's video."""
