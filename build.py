#!/usr/bin/env python3
"""Build the Panduan Pemilu guide. Run `python build.py --help` for the options."""
import sys

from panduan.cli import main

if __name__ == "__main__":
    sys.exit(main())
