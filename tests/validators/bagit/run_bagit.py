#!/usr/bin/env python3
"""Runs the vendored bagit.py (Library of Congress) as `bagit.py --validate BAG...`.

bagit.py asks importlib.metadata for its own version when it is imported; vendored as a
single file it is not an installed distribution, so the version of the upstream source
(see README.md) is supplied here. Nothing else of bagit.py is changed.
"""
import importlib.metadata
import os
import sys

UPSTREAM_VERSION = "1.9.0.post15+g462f6b0"

_installed_version = importlib.metadata.version


def _version(name):
    if name == "bagit":
        return UPSTREAM_VERSION
    return _installed_version(name)


importlib.metadata.version = _version
sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))

import bagit  # noqa: E402

if __name__ == "__main__":
    sys.argv = ["bagit.py", "--validate", *sys.argv[1:]]
    bagit.main()
