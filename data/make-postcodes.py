#!/usr/bin/env python3
"""Makes data/postcodes.csv, the demo's postcode table for the fictional London Borough of
Wrenfield, from the demo's listings: every listing's postcode where its listing puts it (or,
for a listing without lat/lon, near the middle of its sector), and about twenty more made-up
postcodes in each of the sectors the listings use and their neighbours, so that the table
looks like a cut of the ONS Postcode Directory and is sharded like one.

Deterministic: the same listings give the same bytes. Run from the repository root:
    python3 data/make-postcodes.py > data/postcodes.csv
Needs PyYAML (pip install pyyaml).
"""

import glob
import random
import sys

import yaml

# Sectors around Wrenfield the listings do not use, with a plausible middle (lat, lon).
NEIGHBOURS = {
    "E10 5": (51.5700, -0.0120),
    "E11 1": (51.5660, 0.0100),
    "E11 4": (51.5610, 0.0050),
    "E17 3": (51.5870, -0.0420),
    "E17 4": (51.5800, -0.0330),
    "E17 6": (51.5920, -0.0350),
    "E17 8": (51.5770, -0.0240),
    "E17 9": (51.5760, -0.0080),
    "E4 6": (51.6230, -0.0030),
    "E4 7": (51.6310, 0.0050),
    "E4 9": (51.6080, -0.0150),
    "N17 9": (51.5930, -0.0580),
}
# Postcodes the tests ask about that no listing has.
EXTRAS = ["E17 9PA", "E4 9EY", "E11 1HR", "E13 9PJ"]
UNITS_PER_SECTOR = 20
# Inward codes end in two of these letters (the ONS never uses C, I, K, M, O or V there).
LETTERS = "ABDEFGHJLNPQRSTUWXYZ"
# About 400 m around a sector's middle.
SPREAD = (0.0036, 0.0058)


def listing_places():
    """(postcode, (lat, lon) or None) for every place of every demo listing."""
    for path in sorted(glob.glob("content/listings/*")):
        text = open(path, encoding="utf-8").read()
        if path.endswith(".md"):
            text = text.split("---", 2)[1]
        for place in yaml.safe_load(text).get("locations") or []:
            at = (place["lat"], place["lon"]) if "lat" in place else None
            yield place["postcode"].upper(), at


def sector(postcode):
    return postcode[:-2]


def main():
    rng = random.Random(26)
    table = {}
    by_sector = {}
    for postcode, at in listing_places():
        by_sector.setdefault(sector(postcode), [])
        if at:
            table[postcode] = at
            by_sector[sector(postcode)].append(at)
    middles = dict(NEIGHBOURS)
    for name, points in by_sector.items():
        if points:
            middles[name] = (
                sum(p[0] for p in points) / len(points),
                sum(p[1] for p in points) / len(points),
            )

    def near(name):
        lat, lon = middles[name]
        return (
            lat + (rng.random() * 2 - 1) * SPREAD[0],
            lon + (rng.random() * 2 - 1) * SPREAD[1],
        )

    # Listings without coordinates take theirs from the table: near their sector's middle.
    for postcode, at in listing_places():
        if postcode not in table:
            table[postcode] = near(sector(postcode))
    for postcode in EXTRAS:
        table.setdefault(postcode, near(sector(postcode)))
    for name in sorted(middles):
        made = 0
        while made < UNITS_PER_SECTOR:
            unit = "%s%d%s%s" % (
                name[:-1],
                int(name[-1]),
                LETTERS[int(rng.random() * len(LETTERS))],
                LETTERS[int(rng.random() * len(LETTERS))],
            )
            if unit not in table:
                table[unit] = near(name)
                made += 1
    out = sys.stdout
    out.write("pcds,lat,long\n")
    for postcode in sorted(table):
        lat, lon = table[postcode]
        out.write("%s,%.6f,%.6f\n" % (postcode, lat, lon))


if __name__ == "__main__":
    main()
