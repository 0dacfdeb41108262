"""Catalogue collectors: Metal Archives, Discogs and a local folder, with polite HTTP and linking."""
