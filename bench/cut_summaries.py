"""Cuts generated summaries to the listing format's 300 characters.

../shared/bench/gen_listings.py, drawing real words, writes a few summaries longer than the
format allows, which the build rightly refuses; cut at 300, the whole directory builds.

    python3 bench/cut_summaries.py SITE/content/listings
"""
import pathlib
import re
import sys

LONG = re.compile(r"^summary: (.{300}).*$", flags=re.M)

for listing in pathlib.Path(sys.argv[1]).glob("*.md"):
    text = listing.read_text()
    cut = LONG.sub(lambda m: "summary: " + m.group(1).rstrip(), text, count=1)
    if cut != text:
        listing.write_text(cut)
