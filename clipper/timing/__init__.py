"""Stage 3: when each word of a quote is spoken (captions, speech recognition or interpolation)."""
