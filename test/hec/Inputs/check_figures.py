"""Checks that every figure `hec plot` names is a valid image. Usage:
check_figures.py FIGURES_DIR NAME...

Each NAME.png must be a whole PNG (signature, chunks with matching CRCs,
IHDR first, IEND last) whose IDAT data inflates to exactly the rows IHDR
announces; each NAME.svg must parse as XML with an <svg> root of the same
width and height; each NAME.gp is the script that drew both. Prints one line
per figure: NAME WIDTHxHEIGHT."""
import os
import struct
import sys
import xml.etree.ElementTree as ET
import zlib

# Bits per pixel of a PNG's colour types, per bit of depth.
CHANNELS = {0: 1, 2: 3, 3: 1, 4: 2, 6: 4}


def check_png(path):
    data = open(path, "rb").read()
    if data[:8] != b"\x89PNG\r\n\x1a\n":
        sys.exit(f"{path}: no PNG signature")
    pos, chunks, idat = 8, [], b""
    while pos < len(data):
        if pos + 12 > len(data):
            sys.exit(f"{path}: truncated chunk at byte {pos}")
        length, kind = struct.unpack(">I4s", data[pos:pos + 8])
        body = data[pos + 8:pos + 8 + length]
        (crc,) = struct.unpack(">I", data[pos + 8 + length:pos + 12 + length])
        if zlib.crc32(kind + body) != crc:
            sys.exit(f"{path}: bad CRC in chunk {kind!r}")
        chunks.append(kind)
        if kind == b"IHDR":
            width, height, depth, colour, _, _, interlace = struct.unpack(">IIBBBBB", body)
        if kind == b"IDAT":
            idat += body
        pos += 12 + length
    if chunks[0] != b"IHDR" or chunks[-1] != b"IEND" or b"IDAT" not in chunks:
        sys.exit(f"{path}: chunks {chunks} are not IHDR ... IDAT ... IEND")
    if b"tIME" in chunks:
        sys.exit(f"{path}: a tIME chunk makes the file differ run to run")
    if interlace != 0:
        sys.exit(f"{path}: interlaced")
    row = 1 + (width * CHANNELS[colour] * depth + 7) // 8  # filter byte first
    pixels = zlib.decompress(idat)
    if len(pixels) != row * height:
        sys.exit(f"{path}: {len(pixels)} bytes of pixels, expected {row * height}")
    return width, height


def check_svg(path, width, height):
    root = ET.parse(path).getroot()
    if root.tag != "{http://www.w3.org/2000/svg}svg":
        sys.exit(f"{path}: root element {root.tag}, expected svg")
    if (root.get("width"), root.get("height")) != (str(width), str(height)):
        sys.exit(f"{path}: {root.get('width')}x{root.get('height')}, the PNG is {width}x{height}")
    if not any(e.tag.endswith("path") for e in root.iter()):
        sys.exit(f"{path}: nothing drawn")


folder = sys.argv[1]
for name in sys.argv[2:]:
    base = os.path.join(folder, name)
    width, height = check_png(base + ".png")
    check_svg(base + ".svg", width, height)
    if "plot" not in open(base + ".gp").read():
        sys.exit(f"{base}.gp: no plot command")
    print(f"{name} {width}x{height}")
