#!/usr/bin/env python3
"""Gives a site made by gen_listings.py a postcode table, so near-me search can be measured.

    python3 bench/near_table.py SITE_DIR

gen_listings.py gives each listing a postcode "E<1-18> <1-9><letter><letter>", letters from
LETTERS. This writes SITE_DIR/data/postcodes.csv with every such postcode (18 districts of 9
sectors of 400 units: 64,800 rows, a borough's worth, each sector about the size of a real
one) and names it in site.yaml. Districts lie on a grid over east London, sectors on a grid
inside their district, units scattered inside their sector: where each goes is a hash of its
postcode, so two runs write the same bytes.
"""
import hashlib
import pathlib
import sys

LETTERS = "ABDEFGHJLNPQRSTUWXYZ"


def jitter(postcode, salt, size):
    digest = hashlib.sha256(f"{salt}:{postcode}".encode()).digest()
    return (int.from_bytes(digest[:4], "big") / 2**32 - 0.5) * size


def rows():
    for district in range(1, 19):
        d_lat = 51.50 + ((district - 1) // 6) * 0.045
        d_lon = -0.12 + ((district - 1) % 6) * 0.05
        for sector in range(1, 10):
            s_lat = d_lat + ((sector - 1) // 3) * 0.015
            s_lon = d_lon + ((sector - 1) % 3) * 0.0167
            for a in LETTERS:
                for b in LETTERS:
                    postcode = f"E{district} {sector}{a}{b}"
                    lat = s_lat + jitter(postcode, "lat", 0.015)
                    lon = s_lon + jitter(postcode, "lon", 0.0167)
                    yield postcode, lat, lon


def main():
    site = pathlib.Path(sys.argv[1])
    data = site / "data"
    data.mkdir(exist_ok=True)
    lines = ["postcode,latitude,longitude"]
    lines += [f"{p},{lat:.6f},{lon:.6f}" for p, lat, lon in rows()]
    (data / "postcodes.csv").write_text("\n".join(lines) + "\n")
    config = site / "site.yaml"
    text = config.read_text()
    if "\npostcodes:" not in text:
        config.write_text(text.rstrip("\n") + "\npostcodes: data/postcodes.csv\n")


if __name__ == "__main__":
    main()
