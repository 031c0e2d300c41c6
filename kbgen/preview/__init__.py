"""`kbgen serve`: the writers' live preview and the help API on one origin.

site.py builds the preview (through the MkDocs adapter's `build_site`, drafts included)
into .kbgen/preview-site/ and re-renders edited articles; watch.py reports which files
changed; server.py serves the site, the live-reload endpoint and /api/... . Nothing here
imports MkDocs.
"""
