"""Stage 4: turn quotes into assets: themes and text layout, quote cards, captions, clips."""
