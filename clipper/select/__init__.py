"""Stage 2: choose quotable spans of an episode and describe them as Quote records."""
