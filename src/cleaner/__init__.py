"""cleaner: strip boilerplate from news articles, deduplicate them, tag metadata, publish clean datasets."""

from importlib.metadata import PackageNotFoundError, version

try:
    __version__ = version("cleaner")
except PackageNotFoundError:  # running from a source tree that is not installed
    __version__ = "0+unknown"
