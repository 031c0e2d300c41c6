"""The MkDocs adapter: the only part of kbgen that imports MkDocs.

mkdocs-material reaches end of life in May 2027; everything here is a thin layer over
plain functions in kbgen.content, kbgen.site_data and kbgen.search.
"""
