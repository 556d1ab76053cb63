"""The Catalogues tab: the OPDS browser, the downloads panel and the download runner."""
