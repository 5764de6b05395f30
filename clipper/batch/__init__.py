"""Stage 5: run every stage for a site's episodes: settings, plan, manifest, posts, review page."""
